//! A cache file's bytes, as anyone who can write the cache directory could leave them: decoding
//! never panics, and what it accepts is read back identically after awsenv writes it.
#![no_main]

use awsenv::store::cache::Entry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(role) = Entry::decode(bytes) {
        let again = Entry::new(role.clone()).encode().unwrap();
        assert_eq!(Entry::decode(&again).unwrap(), role);
    }
});
