//! RoleRef::parse takes anything a user (or `terraform output`) passes: what it accepts has a
//! valid role name, and an ARN prints back as it parsed.
#![no_main]

use awsenv::role::{valid_role_name, RoleRef};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(r) = RoleRef::parse(input) {
        assert!(valid_role_name(r.name()), "{input:?} -> {r:?}");
        if let RoleRef::Arn(a) = &r {
            assert_eq!(RoleRef::parse(&a.to_string()).unwrap(), r);
        }
    }
});
