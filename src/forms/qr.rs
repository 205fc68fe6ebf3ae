//! The QR code a form carries: SVG inline in the HTML (crisp at any print size), PNG in the
//! DOCX (what Word embeds everywhere). Drawn here from the code's modules, so no image crate.

use qrcode::render::svg;
use qrcode::{Color, QrCode};

/// Pixels per module in the PNG, and the quiet zone around the code, in modules.
const SCALE: usize = 6;
const QUIET: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    /// What the code says (a URL), also printed under it.
    pub text: String,
    pub svg: String,
    pub png: Vec<u8>,
    /// The PNG's width and height in pixels.
    pub side: u32,
}

impl Qr {
    pub fn new(text: &str) -> anyhow::Result<Qr> {
        let code = QrCode::new(text.as_bytes())?;
        let svg = code.render::<svg::Color>().min_dimensions(120, 120).quiet_zone(true).build();
        let (png, side) = png(&code)?;
        Ok(Qr { text: text.to_owned(), svg, png, side })
    }
}

/// The code as an 8-bit grey PNG, black modules on white with the quiet zone.
fn png(code: &QrCode) -> anyhow::Result<(Vec<u8>, u32)> {
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x0, y0) = ((i % modules + QUIET) * SCALE, (i / modules + QUIET) * SCALE);
        for y in y0..y0 + SCALE {
            pixels[y * side + x0..y * side + x0 + SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok((out, side as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_as_svg_and_as_png() {
        let qr = Qr::new("https://motcua.example/api/v1/public/dossiers/X-240105-0001?check=5678").unwrap();
        assert!(qr.svg.contains("<svg") && qr.svg.contains("<path"));
        assert_eq!(&qr.png[1..4], b"PNG");
        assert_eq!(qr.side % SCALE as u32, 0);
    }
}
