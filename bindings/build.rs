//! Link flags the Android builds of the library need (cargo-ndk runs this
//! for each ABI; other targets get nothing). They are set here, not in
//! `.cargo/config.toml`, because cargo-ndk passes its own rustflags in the
//! environment, which replace a config file's.
//!
//! - `-z max-page-size=16384`: the library loads on devices with 16 KB
//!   memory pages (Android 15 and later; Google Play requires it of apps
//!   targeting Android 15). NDKs before r28 align for 4 KB pages.
//! - `--pack-dyn-relocs=android`: the dynamic relocations (14,000 relative
//!   pointers in vtables and static tables, 24 bytes each) in the bionic
//!   linker's packed format, which every Android from 6.0 (API 23) reads;
//!   the app's minimum is 26. 338 KB of `.rela.dyn` become 44 KB, and
//!   loading the library has less to read (x86_64, mobile profile,
//!   stripped: 8.88 -> 8.58 MB). RELR packing would be smaller still but
//!   needs API 28.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("android") {
        println!("cargo:rustc-link-arg-cdylib=-Wl,-z,max-page-size=16384");
        println!("cargo:rustc-link-arg-cdylib=-Wl,--pack-dyn-relocs=android");
    }
}
