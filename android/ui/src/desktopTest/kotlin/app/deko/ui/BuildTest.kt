package app.deko.ui

import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

/** Checks on the build itself: the two builds agree, and commonMain stays common. */
class BuildTest {
    private val android = File(System.getProperty("deko.android.dir") ?: "..").canonicalFile

    /** The Maven build (here) and the Gradle catalog (Android Studio) name the same versions. */
    @Test
    fun mavenAndGradleVersionsAgree() {
        val pom = File(android, "pom.xml").readText()
        fun maven(p: String) = Regex("<$p>([^<]+)</$p>").find(pom)?.groupValues?.get(1) ?: error("pom.xml has no <$p>")
        val toml = File(android, "gradle/libs.versions.toml").readLines()
        val versions = toml.dropWhile { it.trim() != "[versions]" }.drop(1).takeWhile { !it.startsWith("[") }
            .mapNotNull { Regex("""^([\w-]+)\s*=\s*"([^"]+)"""").find(it.trim())?.destructured }
            .associate { (k, v) -> k to v }
        val pairs = mapOf(
            "kotlin" to "kotlin.version",
            "compose-multiplatform" to "compose.version",
            "material3" to "material3.version",
            "coroutines" to "coroutines.version",
            "jna" to "jna.version",
            "zxing" to "zxing.version",
            "junit" to "junit.version",
            "robolectric" to "robolectric.version",
            "android-all" to "android.all.version",
        )
        for ((gradle, mvn) in pairs) {
            assertEquals("gradle/libs.versions.toml $gradle vs pom.xml $mvn", maven(mvn), versions[gradle])
        }
        // and the Kotlin tests of the bindings pin the same compiler and JNA
        val tools = File(android, "../bindings/kotlin-tests/tools").readText()
        assertTrue("bindings/kotlin-tests/tools pins Kotlin ${versions["kotlin"]}", tools.contains("KOTLIN_VERSION=${versions["kotlin"]}"))
        assertTrue("bindings/kotlin-tests/tools pins JNA ${versions["jna"]}", tools.contains("JNA_VERSION=${versions["jna"]}"))
    }

    /**
     * commonMain compiles for Android and desktop alike (Gradle's metadata
     * compilation); the Maven build compiles it as JVM code, so this test keeps
     * it free of JVM-only and generated APIs by reading its imports.
     */
    @Test
    fun commonMainUsesNoJvmOnlyOrGeneratedApi() {
        val common = File(android, "ui/src/commonMain/kotlin")
        val bad = common.walk().filter { it.extension == "kt" }.flatMap { f ->
            f.readLines().filter { l ->
                val t = l.trim()
                t.startsWith("import java.") || t.startsWith("import javax.") || t.startsWith("import android.") ||
                    t.startsWith("import app.deko.ffi") || t.startsWith("import app.deko.core") || t.startsWith("import com.sun.jna") || t.contains("java.util.") ||
                    t.contains("System.currentTimeMillis") || t.startsWith("import app.deko.ui.jvm")
            }.map { "${f.name}: $it" }
        }.toList()
        assertTrue(bad.joinToString("\n"), bad.isEmpty())
        assertTrue("commonMain has sources", common.walk().count { it.extension == "kt" } > 10)
    }
}
