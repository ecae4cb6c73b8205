// The NFC ticket exchange as a pure protocol (no android.*): the card side the
// app's HCE service answers with, the reader side its IsoDep reader runs. A
// plain Kotlin/JVM library the :app module depends on; the Maven build
// (apdu/pom.xml) compiles and tests the same folders.
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
}

java {
    sourceCompatibility = JavaVersion.VERSION_17
    targetCompatibility = JavaVersion.VERSION_17
}

dependencies {
    testImplementation(libs.junit)
}
