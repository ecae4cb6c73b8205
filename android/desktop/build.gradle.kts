// The desktop app for notebooks (Linux, Windows, macOS): the ui module's screens
// in a window. `./gradlew :desktop:run`; packages with `:desktop:packageDistributionForCurrentOS`
// (the native library must be bundled per OS: see the next issue).
import org.jetbrains.compose.desktop.application.dsl.TargetFormat

plugins {
    alias(libs.plugins.kotlin.jvm)
    alias(libs.plugins.compose.compiler)
    alias(libs.plugins.compose.multiplatform)
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":ui"))
    implementation(compose.desktop.currentOs)
    implementation(libs.kotlinx.coroutines.swing)
    testImplementation(libs.junit)
}

compose.desktop {
    application {
        mainClass = "app.deko.desktop.MainKt"
        jvmArgs += listOf("-Djna.library.path=${rootDir.parentFile.resolve("target/debug").path}")
        nativeDistributions {
            targetFormats(TargetFormat.Deb, TargetFormat.Dmg, TargetFormat.Msi)
            packageName = "deko"
            packageVersion = "0.1.0"
        }
    }
}
