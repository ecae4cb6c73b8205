// swift-tools-version:5.9
// DekoKit: the Deko core for the iOS app. The generated uniffi Swift
// (Sources/DekoKit/Generated, written by scripts/bindings, git-ignored), the
// Rust library as a binary target (DekoFFI.xcframework, built on a Mac by
// ios/scripts/build-xcframework, git-ignored) and the view-models the app's
// screens observe. No CRM rule lives here: every rule is the core's.
import PackageDescription

let package = Package(
    name: "DekoKit",
    defaultLocalization: "en",
    platforms: [.iOS(.v17)],
    products: [
        .library(name: "DekoKit", targets: ["DekoKit"]),
    ],
    targets: [
        // Static libdeko_ffi.a for devices and simulators, with the C headers
        // and module map (modules DekoFFIC and DekoCoreFFIC).
        .binaryTarget(name: "DekoFFI", path: "DekoFFI.xcframework"),
        .target(name: "DekoKit", dependencies: ["DekoFFI"], path: "Sources/DekoKit"),
        .testTarget(name: "DekoKitTests", dependencies: ["DekoKit"], path: "Tests/DekoKitTests"),
    ]
)
