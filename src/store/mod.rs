//! Files on disk: the session cache (role sessions and MFA sessions), the shared credentials file, and the rules that make a
//! directory and a file safe to hold secrets (ownership, modes, atomic writes).

pub mod cache;
pub mod credentials_file;
pub mod fs;
pub mod history;
pub mod mfa;
pub mod sso_token;
