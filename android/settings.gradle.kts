// The Kotlin faces of Deko, as Android Studio opens them. Not built on the build
// machine (no Gradle, no Android SDK there): android/pom.xml is the build that
// compiles and tests ui and desktop there, with the same versions
// (gradle/libs.versions.toml; VersionsAgreeTest checks they agree).
rootProject.name = "deko-android"

pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

include(":apdu", ":ui", ":desktop", ":app")
