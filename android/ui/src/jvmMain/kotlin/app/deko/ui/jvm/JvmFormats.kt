package app.deko.ui.jvm

import app.deko.ui.data.MoneyValue
import app.deko.ui.format.Clock
import app.deko.ui.format.Formats
import app.deko.ui.i18n.Lang
import java.math.BigDecimal
import java.text.NumberFormat
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Currency
import java.util.Locale

/** Formats on java.time and java.text (desktop and Android alike), for one language and time zone. */
class JvmFormats(override val lang: Lang, private val zone: ZoneId = ZoneId.systemDefault()) : Formats {
    private val locale: Locale = Locale.forLanguageTag(
        when (lang) {
            Lang.EN -> "en-GB"
            Lang.CS -> "cs-CZ"
            Lang.DE -> "de-DE"
        },
    )
    private val dateFmt = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale)
    private val timeFmt = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale)
    private val numberFmt = NumberFormat.getIntegerInstance(locale)

    private fun at(ms: Long) = Instant.ofEpochMilli(ms).atZone(zone)

    override fun date(ms: Long): String = dateFmt.format(at(ms))
    override fun time(ms: Long): String = timeFmt.format(at(ms))
    override fun dateTime(ms: Long): String = date(ms) + " " + time(ms)

    override fun relative(ms: Long, now: Long): String {
        val day = at(ms).toLocalDate()
        val today = at(now).toLocalDate()
        val word = when (day) {
            today -> TODAY.getValue(lang)
            today.minusDays(1) -> YESTERDAY.getValue(lang)
            else -> return dateTime(ms)
        }
        return word + " " + time(ms)
    }

    override fun duration(seconds: Long): String {
        val h = seconds / 3600
        val m = (seconds % 3600) / 60
        val s = seconds % 60
        return when {
            h > 0 && m == 0L -> "$h h"
            h > 0 -> "$h h $m min"
            m > 0 && s > 0 -> "$m min $s s"
            m > 0 -> "$m min"
            else -> "$s s"
        }
    }

    override fun number(n: Long): String = numberFmt.format(n)

    /**
     * The locale's currency format; whole amounts without ",00"; where the locale
     * has no symbol for the currency (CZK in English), the amount then the code.
     */
    override fun money(m: MoneyValue): String {
        val currency = runCatching { Currency.getInstance(m.currency) }.getOrNull()
        val digits = currency?.defaultFractionDigits?.coerceAtLeast(0) ?: 2
        val amount = BigDecimal.valueOf(m.minor, digits)
        val fraction = if (m.minor % BigDecimal.TEN.pow(digits).toLong() == 0L) 0 else digits
        if (currency != null && currency.getSymbol(locale) != currency.currencyCode) {
            val fmt = NumberFormat.getCurrencyInstance(locale)
            fmt.currency = currency
            fmt.minimumFractionDigits = fraction
            fmt.maximumFractionDigits = fraction
            return fmt.format(amount)
        }
        val fmt = NumberFormat.getNumberInstance(locale)
        fmt.minimumFractionDigits = fraction
        fmt.maximumFractionDigits = fraction
        return fmt.format(amount) + "\u00a0" + m.currency
    }

    /** Reads what [dateTime] wrote (and, leniently, ISO "2025-03-12 14:30"). */
    override fun parseDateTime(text: String): Long? {
        val t = text.trim()
        val space = t.lastIndexOf(' ')
        if (space > 0) {
            runCatching {
                val d = LocalDate.parse(t.substring(0, space).trim(), dateFmt)
                val time = java.time.LocalTime.parse(t.substring(space + 1).trim(), timeFmt)
                return d.atTime(time).atZone(zone).toInstant().toEpochMilli()
            }
        }
        runCatching { return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant().toEpochMilli() }
        return null
    }

    override fun currencyOf(region: String): String? =
        runCatching { Currency.getInstance(Locale.Builder().setRegion(region).build())?.currencyCode }.getOrNull()

    companion object {
        private val TODAY = mapOf(Lang.EN to "Today", Lang.CS to "Dnes", Lang.DE to "Heute")
        private val YESTERDAY = mapOf(Lang.EN to "Yesterday", Lang.CS to "Včera", Lang.DE to "Gestern")
    }
}

/** The system clock and the time zone of this device. */
class SystemClock(private val zone: ZoneId = ZoneId.systemDefault()) : Clock {
    override fun now(): Long = System.currentTimeMillis()
    override fun utcOffsetMin(at: Long): Int = zone.rules.getOffset(Instant.ofEpochMilli(at)).totalSeconds / 60
}
