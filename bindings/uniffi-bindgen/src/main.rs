//! `uniffi-bindgen`: generates the Kotlin and Swift bindings of `deko-ffi`
//! from the built library (library mode). Lives in the workspace so its
//! uniffi version always equals the library's; `scripts/bindings` runs it.

fn main() {
    uniffi::uniffi_bindgen_main()
}
