// The ui module: Compose Multiplatform for Android and desktop (JVM).
//
// Source sets (the same folders the Maven build compiles):
//   commonMain   screens, navigation, view-models, strings, formats (interfaces)
//   jvmMain      shared by desktop and Android (depends on commonMain): the gateway
//                over the generated uniffi Kotlin, which uses JNA and so is JVM and
//                Android code, plus src/generated/kotlin itself (scripts/bindings),
//                java.time formats, ZXing QR codes
//   desktopMain  renders (ImageComposeScene), showcase data, ImageScanner (a ticket's
//                QR code in a picture)
//   androidMain  what differs on Android (dialing, preferences)
// commonMain never sees the generated API (app.deko.ffi, app.deko.core): it reaches
// the core through DekoGateway.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.kotlin.multiplatform)
    alias(libs.plugins.compose.compiler)
    alias(libs.plugins.compose.multiplatform)
    alias(libs.plugins.android.kmp.library)
}

kotlin {
    jvm("desktop") {
        compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
    }
    androidLibrary {
        namespace = "app.deko.ui"
        compileSdk = libs.versions.android.compileSdk.get().toInt()
        minSdk = libs.versions.android.minSdk.get().toInt()
    }

    sourceSets {
        val commonMain by getting {
            dependencies {
                implementation(compose.runtime)
                implementation(compose.foundation)
                implementation(compose.ui)
                implementation(libs.compose.material3)
                implementation(libs.kotlinx.coroutines.core)
            }
        }
        val jvmMain by creating {
            dependsOn(commonMain)
            kotlin.srcDir("src/generated/kotlin")
            dependencies {
                implementation(libs.zxing.core)
                // JNA: the jar on desktop, the AAR (with its native dispatch library) on Android
                compileOnly(libs.jna)
            }
        }
        val desktopMain by getting {
            dependsOn(jvmMain)
            dependencies {
                implementation(compose.desktop.currentOs)
                implementation(libs.jna)
            }
        }
        val desktopTest by getting {
            dependencies {
                implementation(compose.desktop.uiTestJUnit4)
                implementation(libs.junit)
            }
        }
        val androidMain by getting {
            dependsOn(jvmMain)
            dependencies {
                implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
                implementation(libs.kotlinx.coroutines.android)
            }
        }
    }
}

// The generated Kotlin comes from the Rust library: scripts/bindings (repository
// root) builds deko-ffi and writes src/generated/kotlin. The Android app module
// packages libdeko_ffi.so for each ABI (next issue).
val bindings by tasks.registering(Exec::class) {
    workingDir = rootDir.parentFile
    commandLine("./scripts/bindings")
    outputs.dir("src/generated/kotlin")
}
tasks.matching { it.name.startsWith("compile") && it.name.contains("Kotlin") }.configureEach { dependsOn(bindings) }

tasks.withType<Test>().configureEach {
    systemProperty("jna.library.path", rootDir.parentFile.resolve("target/debug").path)
    systemProperty("deko.android.dir", rootDir.path)
}
