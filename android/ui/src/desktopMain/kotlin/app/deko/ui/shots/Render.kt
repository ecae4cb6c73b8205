package app.deko.ui.shots

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.remember
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import app.deko.ui.DekoApp
import app.deko.ui.Platform
import app.deko.ui.data.DekoGateway
import app.deko.ui.desktop.ImageScanner
import app.deko.ui.i18n.Lang
import app.deko.ui.jvm.FfiGateway
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.jvm.SystemClock
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.vm.FirstRunMode
import app.deko.ui.vm.MemoryPrefs
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image
import java.io.File
import java.nio.file.Files

enum class Form(val wDp: Int, val hDp: Int) { PHONE(411, 891), TABLET(1280, 800) }

/**
 * Renders a screen headless (ImageComposeScene: no window, no display) over a
 * real database, at [scale] pixels per dp, after letting it load its data.
 */
fun renderScreen(
    gw: DekoGateway, route: Route?, lang: Lang, dark: Boolean, form: Form, scale: Float = 2f, settleMs: Long = 1200, fontScale: Float = 1f,
    firstRun: FirstRunMode = FirstRunMode.CHOOSE,
): Image {
    val platform = Platform(
        clock = SystemClock(), formats = { JvmFormats(it) },
        prefs = MemoryPrefs(mapOf("lang" to lang.tag, "theme" to if (dark) "DARK" else "LIGHT")), startSync = false,
        // a scanner that is never pressed: the renders show the "Scan QR code" buttons
        scanner = ImageScanner(clipboard = { null }, pick = { null }),
    )
    val nav = Navigator().also { if (route != null) it.show(route) }
    return ImageComposeScene((form.wDp * scale).toInt(), (form.hDp * scale).toInt(), Density(scale, fontScale)) {
        Box(Modifier.fillMaxSize()) { DekoApp(gw, platform, remember { nav }, firstRun) }
    }.use { scene ->
        var t = 0L
        val end = System.nanoTime() + settleMs * 1_000_000
        scene.render(t)
        while (System.nanoTime() < end) {
            Thread.sleep(40)
            t += 40_000_000
            scene.render(t)
        }
        t += 1_000_000_000
        scene.render(t)
    }
}

fun Image.writePng(file: File) {
    file.parentFile.mkdirs()
    file.writeBytes(encodeToData(EncodedImageFormat.PNG)!!.bytes)
}

/**
 * The screenshots command: every screen at phone and tablet size, light and
 * dark, English and Czech, into [args] `--out DIR` (default ./screenshots);
 * subsets with `--only NAME[,NAME]`, `--lang en,cs`, `--form phone,tablet`,
 * `--theme light,dark`; `--font-scale 2` renders with text at 200%.
 * Names: SCREEN-FORM-THEME-LANG[-textNNN].png.
 */
fun main(args: Array<String>) {
    var out = File("screenshots")
    var only: Set<String>? = null
    var fontScale = 1f
    var langs = listOf(Lang.EN, Lang.CS)
    var forms = Form.entries.toList()
    var themes = listOf(false, true)
    var i = 0
    while (i < args.size) {
        when (args[i]) {
            "--out" -> out = File(args[++i])
            "--only" -> only = args[++i].split(',').toSet()
            "--font-scale" -> fontScale = args[++i].toFloat()
            "--lang" -> langs = args[++i].split(',').map { t -> Lang.entries.first { it.tag == t } }
            "--form" -> forms = args[++i].split(',').map { f -> Form.valueOf(f.uppercase()) }
            "--theme" -> themes = args[++i].split(',').map { it == "dark" }
        }
        i++
    }
    val dir = Files.createTempDirectory("deko-shots").toFile()
    var count = 0
    val t0 = System.nanoTime()
    try {
        for (lang in langs) {
            val (gw, ids) = Showcase.create(dir, "showcase-${lang.tag}.db", lang)
            val fresh = FfiGateway.open(File(dir, "fresh-${lang.tag}.db").path, "CZ")
            try {
                // first run (a fresh database): the choice, and the join form
                val screens = listOf<Pair<String, Route?>>("first-run" to null, "first-run-join" to null) + Screens.routes(ids)
                for ((name, route) in screens) {
                    if (only != null && name !in only) continue
                    for (form in forms) for (dark in themes) {
                        val mode = if (name == "first-run-join") FirstRunMode.JOIN else FirstRunMode.CHOOSE
                        val img = renderScreen(if (route == null) fresh else gw, route, lang, dark, form, fontScale = fontScale, firstRun = mode)
                        val big = if (fontScale != 1f) "-text${(fontScale * 100).toInt()}" else ""
                        val file = File(out, "$name-${form.name.lowercase()}-${if (dark) "dark" else "light"}-${lang.tag}$big.png")
                        img.writePng(file)
                        count++
                    }
                }
            } finally {
                fresh.close()
                gw.close()
            }
        }
    } finally {
        dir.deleteRecursively()
    }
    println("rendered $count screenshots into ${out.path} in ${(System.nanoTime() - t0) / 1_000_000_000} s")
}
