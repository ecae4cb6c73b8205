package app.deko.ui.format

import androidx.compose.runtime.staticCompositionLocalOf
import app.deko.ui.data.MoneyValue
import app.deko.ui.i18n.Lang

/**
 * Dates, times, durations, numbers and money for one locale. The platform
 * supplies it (jvmMain `JvmFormats`, on java.text and java.time, which both
 * desktop and Android have); screens only ask.
 */
interface Formats {
    val lang: Lang
    /** 12 Mar 2025 / 12. 3. 2025 / 12.03.2025 */
    fun date(ms: Long): String
    /** date and time of day */
    fun dateTime(ms: Long): String
    fun time(ms: Long): String
    /** "Today", "Yesterday" or the date, with the time */
    fun relative(ms: Long, now: Long): String
    /** 4 min 30 s, 1 h 5 min */
    fun duration(seconds: Long): String
    fun number(n: Long): String
    /** 12 500,00 Kč / €12,500.00, from minor units and an ISO 4217 code */
    fun money(m: MoneyValue): String
    /** the inverse of [time] + [date] for a text field: null if it cannot be read */
    fun parseDateTime(text: String): Long?
    /** The ISO 4217 currency of a region (ISO 3166, "CZ" → "CZK"), from the platform's data; null if unknown */
    fun currencyOf(region: String): String?
}

/** Time and place, from the platform (tests pass fixed ones). */
interface Clock {
    fun now(): Long
    fun utcOffsetMin(at: Long): Int
}

val LocalFormats = staticCompositionLocalOf<Formats> { error("no Formats provided") }
