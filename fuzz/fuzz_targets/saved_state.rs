//! `AWSENV_SAVED` comes from the environment, which anything may set: decoding never panics,
//! what it accepts names only variables awsenv manages (secret ones by name only), and it reads
//! back identically after awsenv writes it.
#![no_main]

use awsenv::env::saved::Saved;
use awsenv::env::vars::{MANAGED, SECRET};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(saved) = Saved::decode(text) {
        for k in saved.vars.keys() {
            assert!(
                MANAGED.contains(&k.as_str()) && !SECRET.contains(&k.as_str()),
                "{k}"
            );
        }
        for k in &saved.held {
            assert!(SECRET.contains(&k.as_str()), "{k}");
        }
        assert_eq!(Saved::decode(&saved.encode()).unwrap(), saved);
    }
});
