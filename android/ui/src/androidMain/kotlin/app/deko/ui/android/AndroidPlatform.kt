package app.deko.ui.android

import android.content.Context
import android.content.Intent
import android.net.Uri
import app.deko.ui.Platform
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.jvm.SystemClock
import app.deko.ui.vm.CallLogging
import app.deko.ui.vm.TicketScanner
import app.deko.ui.vm.UiPrefs

/**
 * What differs on Android: dialing a number opens the phone app, preferences
 * live in SharedPreferences (`deko-ui`; the app's notifications read the
 * language from there too), [callLogging] is the app's permission requests,
 * [scanner] the app's camera scanner (the "Scan QR code" buttons).
 * Compiled only by the Gradle build; the app's MainActivity hands it to DekoApp.
 */
fun androidPlatform(context: Context, callLogging: CallLogging? = null, scanner: TicketScanner? = null): Platform {
    val prefs = context.getSharedPreferences("deko-ui", Context.MODE_PRIVATE)
    return Platform(
        clock = SystemClock(),
        formats = { JvmFormats(it) },
        prefs = object : UiPrefs {
            override fun get(key: String): String? = prefs.getString(key, null)
            override fun set(key: String, value: String) { prefs.edit().putString(key, value).apply() }
        },
        dial = { number ->
            context.startActivity(Intent(Intent.ACTION_DIAL, Uri.parse("tel:$number")).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        },
        callLogging = callLogging,
        scanner = scanner,
    )
}
