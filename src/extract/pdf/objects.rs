//! Small, total accessors over lopdf's object model: every lookup resolves references and
//! answers `None` instead of failing, because a damaged file is the normal case here.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Largest decoded size accepted for one stream (content, form, font, CMap, image).
/// `bomb.pdf` inflates to 400 MB; stopping at 64 MiB keeps a page well under the
/// 300 MB budget while leaving room for real scans, whose JPEG data is never inflated.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;

pub fn resolve<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

/// The object id a value refers to, when it is a reference.
pub fn reference_id(obj: &Object) -> Option<ObjectId> {
    match obj {
        Object::Reference(id) => Some(*id),
        _ => None,
    }
}

pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(doc, dict.get(key).ok()?)
}

/// A dictionary value; a stream's dictionary counts, as readers accept either.
pub fn as_dict(obj: &Object) -> Option<&Dictionary> {
    match obj {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    as_dict(get(doc, dict, key)?)
}

pub fn get_stream<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Stream> {
    match get(doc, dict, key)? {
        Object::Stream(s) => Some(s),
        _ => None,
    }
}

pub fn get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

pub fn get_number(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    number(get(doc, dict, key)?)
}

/// The numbers of an array, resolving references; non-numbers are skipped.
pub fn numbers(doc: &Document, items: &[Object]) -> Vec<f32> {
    items.iter().filter_map(|o| resolve(doc, o).and_then(number)).collect()
}

/// A stream's decoded bytes, bounded by [`MAX_STREAM_BYTES`].
pub fn stream_bytes(stream: &Stream) -> Result<Vec<u8>, lopdf::Error> {
    stream.decompressed_content_with_limit(MAX_STREAM_BYTES)
}

/// A 2-D affine matrix `[a b c d e f]` as PDF writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    pub fn from_slice(v: &[f32]) -> Option<Matrix> {
        match v {
            [a, b, c, d, e, f] if v.iter().all(|x| x.is_finite()) => Some(Matrix([*a, *b, *c, *d, *e, *f])),
            _ => None,
        }
    }

    pub fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// `self × other`: apply `self` first, then `other` (PDF's row-vector convention).
    pub fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_concatenation_follows_pdf_order() {
        // Scale by 2, then translate by (10, 5): the point (1, 1) lands on (12, 7).
        let m = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]).then(&Matrix::translate(10.0, 5.0));
        assert_eq!(m.apply(1.0, 1.0), (12.0, 7.0));
    }
}
