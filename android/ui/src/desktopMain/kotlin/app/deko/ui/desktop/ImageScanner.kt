package app.deko.ui.desktop

import app.deko.ui.jvm.TicketScan
import app.deko.ui.vm.ScanResult
import app.deko.ui.vm.TicketScanner
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/**
 * The desktop's [TicketScanner]: a QR code in a picture, read by
 * [TicketScan]. The picture on the [clipboard] (a screenshot of the other
 * device's code) when it holds a ticket, else the image file the user picks
 * ([pick]: the desktop app's file dialog; null when cancelled).
 */
class ImageScanner(
    private val clipboard: suspend () -> BufferedImage?,
    private val pick: suspend () -> File?,
) : TicketScanner {
    override suspend fun scan(): ScanResult {
        clipboard()?.let { image -> read(image)?.let { return ScanResult.Ticket(it) } }
        val file = pick() ?: return ScanResult.Cancelled
        val image = withContext(Dispatchers.IO) { runCatching { ImageIO.read(file) }.getOrNull() } ?: return ScanResult.NoCode
        return read(image)?.let { ScanResult.Ticket(it) } ?: ScanResult.NoCode
    }

    companion object {
        /** Pictures larger than this on their longer side are scaled down first (a photo: a code needs far fewer pixels). */
        private const val MAX_SIDE = 2000

        /** The ticket in [image]'s QR code, or null. */
        suspend fun read(image: BufferedImage): String? = withContext(Dispatchers.Default) {
            val img = fit(image)
            val pixels = runCatching { img.getRGB(0, 0, img.width, img.height, null, 0, img.width) }.getOrNull()
            pixels?.let { TicketScan.argb(it, img.width, img.height) }
        }

        private fun fit(image: BufferedImage): BufferedImage {
            val side = maxOf(image.width, image.height)
            if (side <= MAX_SIDE) return image
            val w = maxOf(1, image.width * MAX_SIDE / side)
            val h = maxOf(1, image.height * MAX_SIDE / side)
            return BufferedImage(w, h, BufferedImage.TYPE_INT_RGB).also { out ->
                val g = out.createGraphics()
                g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR)
                g.drawImage(image, 0, 0, w, h, null)
                g.dispose()
            }
        }
    }
}
