// The Android application: the Compose UI of :ui in an activity, and the
// platform glue (src/main/kotlin: android.* only, also compiled and tested by
// the Maven build here with Robolectric) plus the few files that need androidx
// or Compose for Android (src/compose/kotlin: the activity; Gradle only).
//
// The Rust library is built per ABI with cargo-ndk (cargoNdk* tasks below)
// into build/rustJniLibs/<abi>/libdeko_ffi.so; the generated Kotlin comes
// from scripts/bindings through :ui. Release signing reads the environment:
// DEKO_KEYSTORE, DEKO_KEYSTORE_PASSWORD, DEKO_KEY_ALIAS, DEKO_KEY_PASSWORD.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.compose.compiler)
}

val repoRoot: File = rootDir.parentFile
val abis = mapOf(
    "arm64-v8a" to "aarch64-linux-android",
    "armeabi-v7a" to "armv7-linux-androideabi",
    "x86_64" to "x86_64-linux-android",
)
val rustJniLibs = layout.buildDirectory.dir("rustJniLibs")

android {
    namespace = "app.deko.android"
    compileSdk = libs.versions.android.compileSdk.get().toInt()

    defaultConfig {
        applicationId = "app.deko"
        minSdk = libs.versions.android.minSdk.get().toInt()
        targetSdk = libs.versions.android.targetSdk.get().toInt()
        versionCode = 1
        versionName = "0.1.0"
        ndk { abiFilters += abis.keys }
    }

    signingConfigs {
        create("release") {
            val store = System.getenv("DEKO_KEYSTORE")
            if (store != null) {
                storeFile = file(store)
                storePassword = System.getenv("DEKO_KEYSTORE_PASSWORD")
                keyAlias = System.getenv("DEKO_KEY_ALIAS")
                keyPassword = System.getenv("DEKO_KEY_PASSWORD")
            }
        }
    }

    buildTypes {
        debug {
            applicationIdSuffix = ".debug"
            isMinifyEnabled = false
        }
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            // unsigned when the keystore is not in the environment (CI builds without secrets)
            signingConfig = signingConfigs.getByName("release").takeIf { System.getenv("DEKO_KEYSTORE") != null }
        }
    }

    sourceSets["main"].apply {
        kotlin.srcDirs("src/main/kotlin", "src/compose/kotlin")
        jniLibs.srcDir(rustJniLibs)
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    buildFeatures { compose = true }
    packaging {
        // uniffi-bindgen reads the API from the library's symbols: the build keeps
        // them, the APK strips them
        jniLibs.keepDebugSymbols.clear()
    }
}

kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
}

// cargo ndk -t <abi> -o build/rustJniLibs build --profile mobile -p deko-ffi, one task per ABI
val cargoNdkTasks = abis.keys.map { abi ->
    tasks.register<Exec>("cargoNdk${abi.replace("-", "").replace("_", "").replaceFirstChar { it.uppercase() }}") {
        group = "rust"
        description = "Builds libdeko_ffi.so for $abi with cargo-ndk"
        workingDir = repoRoot
        commandLine(
            "cargo", "ndk", "-t", abi, "--platform", libs.versions.android.minSdk.get(),
            "-o", rustJniLibs.get().asFile.path, "build", "--locked", "--profile", "mobile", "-p", "deko-ffi",
        )
        inputs.dir(repoRoot.resolve("core/src"))
        inputs.dir(repoRoot.resolve("bindings/src"))
        inputs.file(repoRoot.resolve("Cargo.lock"))
        outputs.file(rustJniLibs.map { it.file("$abi/libdeko_ffi.so") })
    }
}
val cargoNdk by tasks.registering { dependsOn(cargoNdkTasks) }
tasks.matching { it.name.startsWith("merge") && it.name.endsWith("JniLibFolders") }.configureEach { dependsOn(cargoNdk) }

dependencies {
    implementation(project(":ui"))
    implementation(project(":apdu"))
    // JNA with its native dispatch library per ABI
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
    implementation(libs.kotlinx.coroutines.android)
    implementation(libs.zxing.core)
    implementation(libs.androidx.activity.compose)
    testImplementation(libs.junit)
    testImplementation(libs.robolectric)
}
