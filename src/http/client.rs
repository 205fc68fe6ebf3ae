//! Who sent a request: the peer's address, or, when the peer is a proxy the operator trusts
//! (`MOTCUA_TRUSTED_PROXIES`), the client its `X-Forwarded-For` names. Anyone can send that
//! header, so it is read only from a trusted peer, and only as far as the chain is trusted: walking
//! it from the right, the first address that is not a trusted proxy is the client. Anything in it
//! that is not an IP address ends the walk at the last trusted hop, so a forged value can neither
//! pose as another client nor reach a log line.

use std::net::IpAddr;

use actix_web::{HttpRequest, web};

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpAddr>);

/// A comma-separated list of addresses, as `MOTCUA_TRUSTED_PROXIES` gives it; empty for none.
impl std::str::FromStr for TrustedProxies {
    type Err = std::net::AddrParseError;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    fn trusts(&self, address: IpAddr) -> bool {
        self.0.contains(&address)
    }
}

/// The client's address from the peer and its `X-Forwarded-For`, as the module says.
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let mut client = peer?;
    if !trusted.trusts(client) {
        return Some(client);
    }
    for hop in forwarded_for.unwrap_or_default().rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.trusts(address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

/// The client address of a request, by the app's trusted proxies (none unless configured).
pub fn of(req: &HttpRequest) -> Option<IpAddr> {
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let none = TrustedProxies::default();
    let trusted = req.app_data::<web::Data<TrustedProxies>>().map_or(&none, |t| t.get_ref());
    client_ip(req.peer_addr().map(|a| a.ip()), forwarded, trusted)
}

/// The address citizens reach the service at (`MOTCUA_PUBLIC_URL`): an `http` or `https` URL
/// with a host, kept without its trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl std::str::FromStr for PublicUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let url = url::Url::parse(text.trim()).map_err(|e| format!("not a URL: {e}"))?;
        match (url.scheme(), url.host_str()) {
            ("http" | "https", Some(_)) if url.query().is_none() && url.fragment().is_none() => {
                Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
            }
            _ => Err("an http:// or https:// address with a host, without query or fragment".into()),
        }
    }
}

/// Where links printed for citizens point: the configured [`PublicUrl`], or else the scheme and
/// host this request came to (behind a proxy, the ones it forwarded).
pub fn public_origin(req: &HttpRequest) -> String {
    match req.app_data::<web::Data<Option<PublicUrl>>>().and_then(|u| u.get_ref().clone()) {
        Some(PublicUrl(url)) => url,
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_public_url_is_an_http_address_with_a_host() {
        let url = |text: &str| text.parse::<PublicUrl>().map(|u| u.0);
        assert_eq!(url("https://motcua.tinhchau.gov.vn/"), Ok("https://motcua.tinhchau.gov.vn".into()));
        assert_eq!(url("http://10.0.0.5:8080/motcua"), Ok("http://10.0.0.5:8080/motcua".into()));
        for bad in ["motcua.gov.vn", "ftp://motcua.gov.vn", "https://x.vn/?a=1", "file:///tmp"] {
            assert!(url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_forwarded_client_is_believed_only_from_a_trusted_proxy() {
        let proxy = TrustedProxies(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        let spoofed = Some("203.0.113.9");
        assert_eq!(client_ip(Some(ip("198.51.100.7")), spoofed, &proxy), Some(ip("198.51.100.7")));
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), spoofed, &TrustedProxies::default()),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(client_ip(Some(ip("10.0.0.1")), spoofed, &proxy), Some(ip("203.0.113.9")));
        // A client's own forged entry sits left of what the trusted proxies appended.
        let chain = Some("1.2.3.4, 203.0.113.9, 10.0.0.2");
        assert_eq!(client_ip(Some(ip("10.0.0.1")), chain, &proxy), Some(ip("203.0.113.9")));
        assert_eq!(client_ip(Some(ip("10.0.0.1")), None, &proxy), Some(ip("10.0.0.1")));
        assert_eq!(client_ip(None, spoofed, &proxy), None);
    }

    #[test]
    fn the_setting_is_a_comma_separated_list() {
        assert_eq!("".parse::<TrustedProxies>().unwrap(), TrustedProxies::default());
        assert_eq!(
            " 10.0.0.1, ::1 ".parse::<TrustedProxies>().unwrap(),
            TrustedProxies(vec![ip("10.0.0.1"), ip("::1")])
        );
        assert!("10.0.0.1,proxy".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn what_is_not_an_address_ends_the_walk() {
        let proxy = TrustedProxies(vec![ip("10.0.0.1")]);
        let forged = Some("203.0.113.9, x\n2026-11-30T15:09:00Z INFO admin logged in");
        assert_eq!(client_ip(Some(ip("10.0.0.1")), forged, &proxy), Some(ip("10.0.0.1")));
    }
}
