package app.deko.desktop

import app.deko.ui.desktop.ImageScanner
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.swing.Swing
import kotlinx.coroutines.withContext
import java.awt.FileDialog
import java.awt.Frame
import java.awt.Image
import java.awt.Toolkit
import java.awt.datatransfer.DataFlavor
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

/**
 * "Scan QR code" on the desktop: the picture on the clipboard (a screenshot,
 * or an image file copied in the file manager), else an image file chosen in
 * the system's file dialog titled [title].
 */
object DesktopScan {
    fun scanner(title: () -> String) = ImageScanner(clipboard = { clipboardImage() }, pick = { pickImage(title()) })

    /** The clipboard's picture, if it holds one; null otherwise and on any failure (no display, another app holding it). */
    suspend fun clipboardImage(): BufferedImage? = withContext(Dispatchers.IO) {
        runCatching {
            val clip = Toolkit.getDefaultToolkit().systemClipboard
            when {
                clip.isDataFlavorAvailable(DataFlavor.imageFlavor) -> buffered(clip.getData(DataFlavor.imageFlavor) as Image)
                clip.isDataFlavorAvailable(DataFlavor.javaFileListFlavor) ->
                    (clip.getData(DataFlavor.javaFileListFlavor) as List<*>).filterIsInstance<File>().firstOrNull()?.let { ImageIO.read(it) }
                else -> null
            }
        }.getOrNull()
    }

    /** The system's file dialog for an image; null when cancelled. */
    suspend fun pickImage(title: String): File? = withContext(Dispatchers.Swing) {
        val dialog = FileDialog(null as Frame?, title, FileDialog.LOAD)
        dialog.setFilenameFilter { _, name -> name.substringAfterLast('.').lowercase() in IMAGES }
        dialog.isVisible = true // modal: returns when the user chose or cancelled
        val name = dialog.file ?: return@withContext null
        File(dialog.directory, name)
    }

    private val IMAGES = setOf("png", "jpg", "jpeg", "gif", "bmp")

    private fun buffered(image: Image): BufferedImage? {
        if (image is BufferedImage) return image
        val w = image.getWidth(null)
        val h = image.getHeight(null)
        if (w <= 0 || h <= 0) return null
        return BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB).also { b -> b.createGraphics().apply { drawImage(image, 0, 0, null); dispose() } }
    }
}
