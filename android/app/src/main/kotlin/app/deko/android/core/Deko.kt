package app.deko.android.core

import android.content.Context

/**
 * Where every component of the process finds the [AppCore]: opened on first
 * use (by whichever starts first: the activity, a service the system binds,
 * a receiver), kept until the process ends. [install] puts another one in
 * place (tests: a database in a temporary folder, a loopback listener).
 */
object Deko {
    @Volatile private var core: AppCore? = null

    fun core(context: Context): AppCore =
        core ?: synchronized(this) { core ?: AppCore.open(context.applicationContext).also { core = it } }

    /** Replaces the process's core (closing the one before); null: the next use opens the app's own again. */
    fun install(next: AppCore?) = synchronized(this) {
        core?.takeIf { it !== next }?.close()
        core = next
    }
}
