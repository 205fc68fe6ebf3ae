//! Where a webhook may post. A subscription must not be a way into the internal network: unless
//! `MOTCUA_WEBHOOK_ALLOW_PRIVATE=true`, targets on loopback, private, link-local, shared or other
//! non-public addresses are refused. Names are resolved and every address checked, at subscription
//! and again at each delivery (the delivery client resolves through [`PublicResolver`], so a name
//! that later points inside is caught too); redirects are not followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::{Host, Url};

use crate::i18n::Text;

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10, shared address space (carrier-grade NAT)
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24, protocol assignments; 198.18.0.0/15, benchmarking
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        // 240.0.0.0/4, reserved
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // 2001::/32 Teredo and 2002::/16 6to4 tunnel to IPv4 addresses; fec0::/10 old site-local
        || (first == 0x2001 && ip.segments()[1] == 0)
        || first == 0x2002
        || (first & 0xffc0) == 0xfec0
        // 64:ff9b::/96 and friends translate to IPv4 we cannot see through; ::/96 old compatible form
        || first == 0x0064
        || ip.segments()[..6].iter().all(|s| *s == 0))
}

/// A checked target URL: http or https, a host, no credentials inside.
pub fn parse_url(raw: &str) -> Result<Url, Text> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Text::new("Không phải là một URL hợp lệ", format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Text::fixed("Phải là URL http hoặc https", "must be an http or https URL"));
    }
    if url.host().is_none() {
        return Err(NO_HOST);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Text::fixed(
            "Không được chứa thông tin đăng nhập: chữ ký đã xác thực bên gửi",
            "must not carry credentials: the signature authenticates the sender",
        ));
    }
    if url.fragment().is_some() {
        return Err(Text::fixed("Không được có phần #fragment", "must not have a #fragment"));
    }
    Ok(url)
}

const NO_HOST: Text = Text::fixed("Phải có tên máy chủ", "must name a host");

/// Refuse a URL whose host is an address that is not public (names are checked by the resolver).
pub fn literal_address_allowed(raw: &str, allow_private: bool) -> Result<(), Text> {
    let ip = match Url::parse(raw).ok().as_ref().and_then(Url::host) {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if allow_private || is_public(ip) { Ok(()) } else { Err(refusal(ip)) }
}

fn refusal(ip: IpAddr) -> Text {
    Text::new(
        format!(
            "Trỏ tới {ip}, không phải là địa chỉ công khai (đặt MOTCUA_WEBHOOK_ALLOW_PRIVATE=true để cho phép)"
        ),
        format!(
            "points to {ip}, which is not a public address (set MOTCUA_WEBHOOK_ALLOW_PRIVATE=true to allow it)"
        ),
    )
}

/// Resolve the URL's host and refuse it if any address is not public (unless private targets are
/// allowed).
pub async fn check_target(url: &Url, allow_private: bool) -> Result<(), Text> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|e| {
                Text::new(
                    format!("Không phân giải được tên máy chủ {name}"),
                    format!("the host {name} does not resolve: {e}"),
                )
            })?
            .collect(),
        None => return Err(NO_HOST),
    };
    if addrs.is_empty() {
        return Err(Text::fixed("Máy chủ không có địa chỉ nào", "the host has no address"));
    }
    if !allow_private && let Some(inside) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(refusal(inside.ip()));
    }
    Ok(())
}

/// The delivery client's resolver: the addresses of a name, refused when one is not public.
pub struct PublicResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(format!("{} resolves to an address that is not public", name.as_str()).into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl PublicResolver {
    pub fn shared(allow_private: bool) -> Arc<Self> {
        Arc::new(Self { allow_private })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        let refused = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.0.8",
            "::1",
            "::",
            "fd00::1",
            "2002:7f00:1::",
            "2001:0:4136:e378::1",
            "fec0::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ];
        for ip in refused {
            assert!(!is_public(ip.parse().unwrap()), "{ip} must be refused");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "203.162.4.190", "2001:4860:4860::8888"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} is public");
        }
    }

    #[test]
    fn urls_are_checked() {
        assert!(parse_url("https://hooks.example.vn/motcua").is_ok());
        for bad in
            ["ftp://x.vn/", "not a url", "https://user:pw@x.vn/", "https://x.vn/#f", "file:///etc/passwd"]
        {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[actix_web::test]
    async fn literal_private_targets_are_refused_unless_allowed() {
        let url = parse_url("http://127.0.0.1:9/hook").unwrap();
        assert!(check_target(&url, false).await.unwrap_err().vi.contains("127.0.0.1"));
        assert!(check_target(&url, true).await.is_ok());
        assert!(literal_address_allowed(url.as_str(), false).is_err());
        assert!(literal_address_allowed(url.as_str(), true).is_ok());
        assert!(literal_address_allowed("http://8.8.8.8/", false).is_ok());
        assert!(literal_address_allowed("http://localhost/", false).is_ok(), "names are the resolver's");
        let localhost = parse_url("http://localhost:9/hook").unwrap();
        assert!(check_target(&localhost, false).await.is_err(), "a name is resolved, then checked");
    }
}
