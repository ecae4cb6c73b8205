package app.deko.desktop

import app.deko.ffi.LogLevel
import app.deko.ffi.setLogSink
import app.deko.ui.data.PersonForm
import app.deko.ui.jvm.FfiGateway
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO

class DesktopAppTest {
    @Test
    fun theDataDirectoryIsTheCommandLinesOne() {
        assertEquals(File("/d"), DataDir.resolve(mapOf("DEKO_DATA" to "/d", "XDG_DATA_HOME" to "/x"), "/h"))
        assertEquals(File("/x/deko"), DataDir.resolve(mapOf("XDG_DATA_HOME" to "/x"), "/h"))
        assertEquals(File("/h/.local/share/deko"), DataDir.resolve(mapOf("XDG_DATA_HOME" to ""), "/h"))
        assertEquals(File("/h/.local/share/deko/deko.db"), DataDir.database(DataDir.resolve(emptyMap(), "/h")))
    }

    @Test
    fun theCoresLogLinesGoToStderrAtTheLevelDekoLogNames() {
        assertEquals(LogLevel.WARN, StderrLog.level(emptyMap()))
        assertEquals(LogLevel.DEBUG, StderrLog.level(mapOf("DEKO_LOG" to "debug")))
        assertEquals(LogLevel.INFO, StderrLog.level(mapOf("DEKO_LOG" to "Info,quinn=warn")))
        assertEquals(LogLevel.WARN, StderrLog.level(mapOf("DEKO_LOG" to "deko_core=trace")))
        val bytes = ByteArrayOutputStream()
        val out = PrintStream(bytes, true, "UTF-8")
        setLogSink(StderrLog(out), LogLevel.INFO)
        try {
            val data = Files.createTempDirectory("deko-log").toFile()
            FfiGateway.open(DataDir.database(data).path, "CZ").use { gw -> runBlocking { gw.createTeam("Logged Team", "Alena") } }
            data.deleteRecursively()
        } finally {
            StderrLog.install(LogLevel.WARN)
        }
        val lines = bytes.toString("UTF-8").lines()
        assertTrue("the founding was logged: $lines", lines.any { it.startsWith("deko: info: deko_core") && it.contains("founded team") && it.contains("Logged Team") })
    }

    /** Starts the real app in a virtual X display (Xvfb) and takes a screenshot of its window. */
    @Test
    fun theAppOpensAWindowWithThePeopleListUnderXvfb() {
        val xvfb = listOf("/usr/bin/Xvfb", "/usr/local/bin/Xvfb").map(::File).firstOrNull { it.canExecute() }
            ?: throw AssertionError("Xvfb is missing: install the Debian package xvfb (.ci/run does)")
        val data = Files.createTempDirectory("deko-desktop").toFile()
        FfiGateway.open(DataDir.database(data).path, "CZ").use { gw ->
            runBlocking {
                gw.createTeam("Acme s.r.o.", "Alena Malá")
                for ((g, f) in listOf("Jan" to "Novák", "Eva" to "Dvořáková", "Petr" to "Svoboda")) {
                    gw.savePerson(null, PersonForm(g, f, "", "", emptyList(), emptyList(), ""))
                }
            }
        }
        val display = (91..130).first { !File("/tmp/.X$it-lock").exists() }
        val x = ProcessBuilder(xvfb.path, ":$display", "-screen", "0", "1400x900x24", "-nolisten", "tcp")
            .redirectErrorStream(true).redirectOutput(File(data, "xvfb.log")).start()
        val shot = File(System.getProperty("deko.shot") ?: File(data, "shot.png").path)
        shot.delete()
        try {
            Thread.sleep(1500)
            assertTrue("Xvfb is running", x.isAlive)
            val cp = System.getProperty("deko.classes.dir") + File.pathSeparator + File(System.getProperty("deko.classpath.file")).readText().trim()
            val java = File(System.getProperty("java.home"), "bin/java").path
            val app = ProcessBuilder(
                java, "-Djna.library.path=" + System.getProperty("deko.lib.dir"), "-Dskiko.renderApi=SOFTWARE",
                "-cp", cp, "app.deko.desktop.MainKt", "--data", data.path, "--screenshot", shot.path, "--exit",
            ).redirectErrorStream(true).redirectOutput(File(data, "app.log"))
            app.environment()["DISPLAY"] = ":$display"
            val p = app.start()
            val done = p.waitFor(120, TimeUnit.SECONDS)
            val log = File(data, "app.log").readText()
            if (!done) p.destroyForcibly()
            assertTrue("the app ended on its own after the screenshot: $log", done)
            assertEquals("exit code; log: $log", 0, p.exitValue())
            assertTrue("the app opened ${DataDir.database(data)}: $log", log.contains(DataDir.database(data).path))
            val img = ImageIO.read(shot)
            assertTrue("a window-sized screenshot: ${img.width}x${img.height}", img.width >= 800 && img.height >= 500)
            val colours = HashSet<Int>()
            for (y in 0 until img.height step 3) for (xx in 0 until img.width step 3) colours += img.getRGB(xx, y)
            assertTrue("the screenshot shows something (${colours.size} colours)", colours.size > 50)
        } finally {
            x.destroy()
            x.waitFor(10, TimeUnit.SECONDS)
            data.deleteRecursively()
        }
    }
}
