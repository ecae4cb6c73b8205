package app.deko.ui

import app.deko.ui.i18n.Lang
import app.deko.ui.nav.Route
import app.deko.ui.shots.Form
import app.deko.ui.shots.Showcase
import app.deko.ui.shots.renderScreen
import app.deko.ui.shots.writePng
import org.jetbrains.skia.Bitmap
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

/** A few renders of the screenshots command, headless, checked to be pictures of something. */
class ScreenshotsTest {
    private val out = File(System.getProperty("deko.shots.dir") ?: "target/screenshots-test")

    @Test
    fun rendersAreNotBlank() = Dbs().use { dbs ->
        val (gw, ids) = Showcase.create(dbs.dir, "shots.db", Lang.CS)
        val cases = listOf(
            Triple("people-phone-light-cs", Route.People as Route, Form.PHONE to false),
            Triple("person-tablet-dark-cs", Route.PersonDetail(ids.jan), Form.TABLET to true),
            Triple("log-call-phone-dark-cs", Route.LogCall(ids.jan), Form.PHONE to true),
        )
        for ((name, route, look) in cases) {
            val img = renderScreen(gw, route, Lang.CS, look.second, look.first, scale = 1f)
            img.writePng(File(out, "$name.png"))
            val bmp = Bitmap.makeFromImage(img)
            val counts = HashMap<Int, Int>()
            for (y in 0 until bmp.height step 2) for (x in 0 until bmp.width step 2) counts.merge(bmp.getColor(x, y), 1, Int::plus)
            val total = counts.values.sum()
            val background = counts.values.max()
            assertTrue("$name has more than a few colours (${counts.size})", counts.size > 50)
            assertTrue("$name is more than its background (${100 * (total - background) / total}% drawn)", (total - background) * 100 / total >= 5)
        }
    }
}
