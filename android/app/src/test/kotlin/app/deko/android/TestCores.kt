package app.deko.android

import app.deko.android.core.AppCore
import app.deko.android.core.Deko
import app.deko.ffi.Database
import java.io.File
import java.nio.file.Files

/**
 * Real databases for the glue's tests: each in its own temporary folder,
 * syncing on loopback. [phone] is the phone under test (installed as the
 * process's core, where services and receivers find it); [other] opens
 * another phone's core beside it.
 */
class TestCores : AutoCloseable {
    private val dir: File = Files.createTempDirectory("deko-app-test").toFile()
    private val opened = mutableListOf<AppCore>()

    fun other(name: String): AppCore =
        AppCore(Database.open(File(dir, "$name.db").path, "CZ"), "127.0.0.1:0").also {
            it.shelf.hosts = { listOf("127.0.0.1") }
            opened += it
        }

    fun phone(name: String = "phone"): AppCore = other(name).also { Deko.install(it) }

    override fun close() {
        Deko.install(null)
        opened.forEach { runCatching { it.close() } }
        dir.deleteRecursively()
    }
}

/** Waits until [done] holds, checking every 50 ms, for at most [seconds] (a bound, not a timing assertion). */
fun eventually(seconds: Int = 30, what: String, done: () -> Boolean) {
    val until = System.nanoTime() + seconds * 1_000_000_000L
    while (!done()) {
        if (System.nanoTime() > until) throw AssertionError("not within $seconds s: $what")
        Thread.sleep(50)
    }
}
