//! Unpredictable values from the operating system's RNG, written as lowercase hex: tokens,
//! nonces and the names of temporary files.

use crate::error::{Error, Result};

/// `bytes` random bytes from the OS, as `2 * bytes` lowercase hex digits.
pub fn hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf)
        .map_err(|e| Error::Io(format!("cannot read random bytes from the OS: {e}")))?;
    Ok(::hex::encode(buf))
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_hex_is_long_lowercase_and_fresh() {
        let (a, b) = (super::hex(32).unwrap(), super::hex(32).unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        assert_ne!(a, b);
    }
}
