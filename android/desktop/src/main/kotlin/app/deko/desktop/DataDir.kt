package app.deko.desktop

import java.io.File

/**
 * The same data directory as the `deko` command line (cli/src/data.rs):
 * `$DEKO_DATA`, else `$XDG_DATA_HOME/deko`, else `~/.local/share/deko`; the
 * database is `deko.db` in it. So `deko serve` and this app can run side by side
 * on one notebook, on one database (SQLite takes care of the two processes).
 */
object DataDir {
    fun resolve(env: Map<String, String> = System.getenv(), home: String = System.getProperty("user.home")): File {
        env["DEKO_DATA"]?.takeIf { it.isNotBlank() }?.let { return File(it) }
        env["XDG_DATA_HOME"]?.takeIf { it.isNotBlank() }?.let { return File(it, "deko") }
        return File(home, ".local/share/deko")
    }

    fun database(dir: File): File = File(dir, "deko.db")
}
