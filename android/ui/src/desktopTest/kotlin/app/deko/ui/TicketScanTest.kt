package app.deko.ui

import app.deko.ui.jvm.Qr
import app.deko.ui.jvm.TicketScan
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import java.awt.RenderingHints
import java.awt.geom.AffineTransform
import java.awt.image.BufferedImage
import kotlin.random.Random

/**
 * Scanning a ticket's QR code: tickets drawn by the ui's own encoder
 * ([Qr]) as a camera or an image would see them (scaled, rotated, noisy,
 * with a thin or wide quiet zone, light on dark, padded rows) read back
 * exactly; anything else is "no ticket", never an exception.
 */
class TicketScanTest {
    private val base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

    /** A real invitation from the library, and made-up tickets of many lengths. */
    private fun tickets(): List<String> {
        val real = Dbs().use { dbs -> runBlocking { dbs.founder().invite() }.ticket }
        val rnd = Random(14)
        return listOf(real) + listOf(1, 16, 57, 120, 300).map { n -> "DEKO:" + String(CharArray(n) { base32[rnd.nextInt(32)] }) }
    }

    /** The code at [px] pixels a module with [quiet] extra modules of margin, grey levels, optionally inverted. */
    private fun draw(text: String, px: Double, quiet: Int, inverted: Boolean = false): BufferedImage {
        val rows = Qr.encode(text)
        val n = rows.size + 2 * quiet
        val size = (n * px).toInt()
        val img = BufferedImage(size, size, BufferedImage.TYPE_INT_RGB)
        val dark = if (inverted) 0xEEEEEE else 0x202020
        val light = if (inverted) 0x121212 else 0xF4F4F4
        for (y in 0 until size) for (x in 0 until size) {
            val my = (y / px).toInt() - quiet
            val mx = (x / px).toInt() - quiet
            val on = my in rows.indices && mx in rows.indices && rows[my][mx]
            img.setRGB(x, y, if (on) dark else light)
        }
        return img
    }

    /** Turned by [degrees] on a larger light canvas (a phone held at an angle). */
    private fun rotate(img: BufferedImage, degrees: Double): BufferedImage {
        val side = (maxOf(img.width, img.height) * 1.5).toInt()
        val out = BufferedImage(side, side, BufferedImage.TYPE_INT_RGB)
        val g = out.createGraphics()
        g.color = java.awt.Color(0xF4F4F4)
        g.fillRect(0, 0, side, side)
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR)
        g.drawImage(img, AffineTransform().apply {
            translate(side / 2.0, side / 2.0)
            rotate(Math.toRadians(degrees))
            translate(-img.width / 2.0, -img.height / 2.0)
        }, null)
        g.dispose()
        return out
    }

    /** The camera's Y plane: luminance a byte a pixel, [noise] grey levels of sensor noise, rows padded to [stride]. */
    private fun luminance(img: BufferedImage, stride: Int, noise: Int, rnd: Random): ByteArray {
        val y = ByteArray(stride * img.height) { 0x55 }
        for (r in 0 until img.height) for (c in 0 until img.width) {
            val rgb = img.getRGB(c, r)
            val l = ((rgb shr 16 and 0xFF) * 299 + (rgb shr 8 and 0xFF) * 587 + (rgb and 0xFF) * 114) / 1000
            y[r * stride + c] = (l + if (noise > 0) rnd.nextInt(-noise, noise + 1) else 0).coerceIn(0, 255).toByte()
        }
        return y
    }

    private fun pixels(img: BufferedImage): IntArray = img.getRGB(0, 0, img.width, img.height, null, 0, img.width)

    @Test
    fun ticketsReadBackFromCameraFramesAndImages() {
        val rnd = Random(7)
        for ((i, ticket) in tickets().withIndex()) {
            // sharp, scaled up and down by odd factors, thin and wide quiet zones
            for ((px, quiet) in listOf(3.0 to 0, 4.3 to 2, 3.4 to 8, 7.0 to 1)) {
                val img = draw(ticket, px, quiet)
                assertEquals("image $i at $px px, quiet $quiet", ticket, TicketScan.argb(pixels(img), img.width, img.height))
                val stride = img.width + rnd.nextInt(0, 64)
                assertEquals("frame $i at $px px, quiet $quiet", ticket, TicketScan.luminance(luminance(img, stride, 40, rnd), img.width, img.height, stride))
            }
            // turned, as a hand holds a phone, and light on dark
            for (degrees in listOf(90.0, 180.0, 17.0, -33.0)) {
                val img = rotate(draw(ticket, 4.0, 2), degrees)
                assertEquals("$i turned $degrees°", ticket, TicketScan.luminance(luminance(img, img.width, 20, rnd), img.width, img.height))
            }
            val dark = draw(ticket, 4.0, 3, inverted = true)
            assertEquals("$i light on dark", ticket, TicketScan.argb(pixels(dark), dark.width, dark.height))
        }
    }

    /** Tight crops of many invitation-length tickets: a frame whose code nearly touches its edges. */
    @Test
    fun tightlyCroppedNoisyFramesOfManyTicketsRead() {
        val rnd = Random(2026)
        repeat(200) { i ->
            val ticket = "DEKO:" + String(CharArray(130) { base32[rnd.nextInt(32)] })
            for ((px, quiet) in listOf(7.0 to 1, 5.0 to 1, 6.0 to 0)) {
                val img = draw(ticket, px, quiet)
                val frame = luminance(img, img.width, 40, rnd)
                assertEquals("ticket $i at $px px, quiet $quiet", ticket, TicketScan.luminance(frame, img.width, img.height))
            }
        }
    }

    @Test
    fun aFrameStartingInsideABufferReadsToo() {
        val ticket = tickets()[0]
        val img = draw(ticket, 3.0, 2)
        val y = luminance(img, img.width, 0, Random(1))
        val padded = ByteArray(100) + y
        assertEquals(ticket, TicketScan.luminance(padded, img.width, img.height, img.width, offset = 100))
    }

    @Test
    fun aCameraPlaneReadsAsTheCameraHandsIt() {
        val ticket = tickets()[0]
        val img = draw(ticket, 4.0, 2)
        val stride = img.width + 48
        val y = luminance(img, stride, 10, Random(3))
        // a direct buffer, as camera2's Image.Plane gives it; left where it was
        val direct = java.nio.ByteBuffer.allocateDirect(y.size).put(y).also { it.flip() }
        assertEquals(ticket, TicketScan.plane(direct, img.width, img.height, stride))
        assertEquals(0, direct.position())
        // interleaved samples (pixel stride 2)
        val two = ByteArray(y.size * 2) { i -> if (i % 2 == 0) y[i / 2] else 0x7F }
        assertEquals(ticket, TicketScan.plane(java.nio.ByteBuffer.wrap(two), img.width, img.height, stride * 2, pixelStride = 2))
        // planes that do not hold the frame they claim
        assertNull(TicketScan.plane(java.nio.ByteBuffer.wrap(ByteArray(64)), img.width, img.height, stride))
        assertNull(TicketScan.plane(java.nio.ByteBuffer.wrap(two), img.width, img.height, stride, pixelStride = 0))
        assertNull(TicketScan.plane(java.nio.ByteBuffer.wrap(two), img.width, img.height, stride * 4, pixelStride = 2))
    }

    @Test
    fun garbageIsNoTicketNeverAnException() {
        val rnd = Random(2026)
        // noise, flat frames, stripes
        for (k in 0 until 40) {
            val w = rnd.nextInt(1, 400)
            val h = rnd.nextInt(1, 400)
            val frame = when (k % 4) {
                0 -> rnd.nextBytes(w * h)
                1 -> ByteArray(w * h) { 0 }
                2 -> ByteArray(w * h) { -1 }
                else -> ByteArray(w * h) { i -> if ((i % w) / 3 % 2 == 0) 0 else -1 }
            }
            assertNull(TicketScan.luminance(frame, w, h))
            assertNull(TicketScan.argb(IntArray(w * h) { rnd.nextInt() }, w, h))
        }
        // malformed frames: sizes that do not match, negative or zero sizes, strides shorter than rows
        assertNull(TicketScan.luminance(ByteArray(10), 100, 100))
        assertNull(TicketScan.luminance(ByteArray(0), 0, 0))
        assertNull(TicketScan.luminance(ByteArray(100), -10, -10))
        assertNull(TicketScan.luminance(ByteArray(100), 10, 10, rowStride = 5))
        assertNull(TicketScan.luminance(ByteArray(100), 10, 10, offset = -1))
        assertNull(TicketScan.luminance(ByteArray(100), 10, 10, offset = 1))
        assertNull(TicketScan.luminance(ByteArray(100), Int.MAX_VALUE, Int.MAX_VALUE, Int.MAX_VALUE))
        assertNull(TicketScan.argb(IntArray(3), 2, 2))
        assertNull(TicketScan.argb(IntArray(0), 0, 5))
        // a QR code that is not a ticket, and half a ticket's code
        val url = draw("https://example.com/deko", 4.0, 2)
        assertNull(TicketScan.argb(pixels(url), url.width, url.height))
        val prefixOnly = draw("DEKO:", 4.0, 2)
        assertNull(TicketScan.argb(pixels(prefixOnly), prefixOnly.width, prefixOnly.height))
        val cut = draw(tickets()[0], 4.0, 2).let { it.getSubimage(0, 0, it.width, it.height / 2) }
        assertNull(TicketScan.argb(pixels(cut), cut.width, cut.height))
    }
}
