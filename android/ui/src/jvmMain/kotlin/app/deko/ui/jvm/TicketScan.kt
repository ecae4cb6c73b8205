package app.deko.ui.jvm

import com.google.zxing.BarcodeFormat
import com.google.zxing.BinaryBitmap
import com.google.zxing.DecodeHintType
import com.google.zxing.LuminanceSource
import com.google.zxing.PlanarYUVLuminanceSource
import com.google.zxing.RGBLuminanceSource
import com.google.zxing.common.GlobalHistogramBinarizer
import com.google.zxing.common.HybridBinarizer
import com.google.zxing.qrcode.QRCodeReader

/**
 * Reads a `deko:` ticket from a QR code in a picture (ZXing core: the same
 * on desktop and Android): a camera frame's luminance (the Y plane of a
 * YUV frame) or an image's ARGB pixels. Any other picture, a QR code that is
 * not a ticket, or a malformed frame is null ("no ticket"), never an
 * exception. What the ticket means is the core's to judge.
 */
object TicketScan {
    private val hints = mapOf(
        DecodeHintType.POSSIBLE_FORMATS to listOf(BarcodeFormat.QR_CODE),
        DecodeHintType.TRY_HARDER to true,
    )

    /** For a picture that is the code and little else (a screenshot, a file). */
    private val pureHints = hints + (DecodeHintType.PURE_BARCODE to true)

    /**
     * A frame's luminance, one byte a pixel: [width] × [height] pixels, rows
     * [rowStride] bytes apart (camera frames pad their rows), from [offset].
     */
    fun luminance(y: ByteArray, width: Int, height: Int, rowStride: Int = width, offset: Int = 0): String? {
        if (width <= 0 || height <= 0 || rowStride < width || offset < 0) return null
        val needed = offset.toLong() + rowStride.toLong() * (height - 1) + width
        if (needed > y.size) return null
        // ZXing's YUV source reads rows dataWidth apart from a top-left at (left, top) of the data
        val rows = if (offset == 0) y else y.copyOfRange(offset, needed.toInt())
        return read { PlanarYUVLuminanceSource(rows, rowStride, height, 0, 0, width, height, false) }
    }

    /**
     * A camera frame's Y plane as the camera hands it (Android's
     * `Image.Plane`: a buffer, its row and pixel strides), read from its
     * position without moving it.
     */
    fun plane(buffer: java.nio.ByteBuffer, width: Int, height: Int, rowStride: Int, pixelStride: Int = 1): String? {
        if (width <= 0 || height <= 0 || pixelStride <= 0 || rowStride < width.toLong() * pixelStride - (pixelStride - 1)) return null
        val b = buffer.duplicate()
        val bytes = ByteArray(b.remaining()).also { b.get(it) }
        if (pixelStride == 1) return luminance(bytes, width, height, rowStride)
        // interleaved samples: gather one byte a pixel
        if ((height - 1).toLong() * rowStride + (width - 1).toLong() * pixelStride >= bytes.size) return null
        val packed = ByteArray(width * height) { i -> bytes[(i / width) * rowStride + (i % width) * pixelStride] }
        return luminance(packed, width, height)
    }

    /** An image's pixels as ARGB ints, row by row. */
    fun argb(pixels: IntArray, width: Int, height: Int): String? {
        if (width <= 0 || height <= 0 || width.toLong() * height > pixels.size) return null
        return read { RGBLuminanceSource(width, height, pixels) }
    }

    /** Whether [text] is a ticket (`deko:` in any case) worth handing to the core. */
    fun isTicket(text: String): Boolean = text.length > PREFIX.length && text.startsWith(PREFIX, ignoreCase = true)

    private const val PREFIX = "deko:"

    private fun read(source: () -> LuminanceSource): String? = try {
        val s = source()
        // as it is, else light on dark (a screen in dark mode)
        (decode(s) ?: decode(s.invert()) ?: decodeTight(s))?.takeIf(::isTicket)
    } catch (e: Exception) {
        // a frame ZXing refuses
        null
    }

    /**
     * The local-threshold binarizer first (uneven light on a camera frame),
     * then the global one, which reads sharp codes whose module edges the
     * local one blurs (a code scaled by an odd factor), as ZXing's own
     * scanner apps do.
     */
    private fun decode(s: LuminanceSource): String? =
        decode(BinaryBitmap(HybridBinarizer(s)), hints)
            ?: decode(BinaryBitmap(GlobalHistogramBinarizer(s)), hints)
            // the finder patterns found by their place, not by searching:
            // reads the few codes whose data looks like a finder pattern
            ?: decode(BinaryBitmap(HybridBinarizer(s)), pureHints)

    /**
     * The last tries for a code that fills the frame: on a light margin,
     * then at half the size (a 2×2 average: sensor noise on large modules
     * made the detector see edges that are not there).
     */
    private fun decodeTight(s: LuminanceSource): String? {
        val padded = withMargin(s)
        return decode(BinaryBitmap(HybridBinarizer(padded)), hints)
            ?: decode(BinaryBitmap(GlobalHistogramBinarizer(padded)), hints)
            ?: decode(BinaryBitmap(GlobalHistogramBinarizer(padded)), pureHints)
            ?: halved(padded)?.let { h ->
                decode(BinaryBitmap(HybridBinarizer(h)), hints)
                    ?: decode(BinaryBitmap(GlobalHistogramBinarizer(h)), hints)
            }
    }

    /** [s] at half its width and height, each pixel the mean of four. */
    private fun halved(s: LuminanceSource): LuminanceSource? {
        val w = s.width / 2
        val h = s.height / 2
        if (w < 21 || h < 21) return null
        val m = s.matrix
        val out = ByteArray(w * h)
        for (r in 0 until h) for (c in 0 until w) {
            val a = 2 * r * s.width + 2 * c
            val sum = (m[a].toInt() and 0xFF) + (m[a + 1].toInt() and 0xFF) +
                (m[a + s.width].toInt() and 0xFF) + (m[a + s.width + 1].toInt() and 0xFF)
            out[r * w + c] = (sum / 4).toByte()
        }
        return PlanarYUVLuminanceSource(out, w, h, 0, 0, w, h, false)
    }

    /**
     * [s] on a light margin a tenth of its size wide: a frame cropped
     * tight around the code (a quiet zone of a module or less, noise on
     * it) leaves the finder patterns no light ring to be found by, and the
     * reader then misses a code now and then.
     */
    private fun withMargin(s: LuminanceSource): LuminanceSource {
        val pad = maxOf(s.width, s.height) / 10 + 8
        val w = s.width + 2 * pad
        val h = s.height + 2 * pad
        val out = ByteArray(w * h) { 0xFF.toByte() }
        val m = s.matrix
        for (r in 0 until s.height) System.arraycopy(m, r * s.width, out, (r + pad) * w + pad, s.width)
        return PlanarYUVLuminanceSource(out, w, h, 0, 0, w, h, false)
    }

    private fun decode(bitmap: BinaryBitmap, hints: Map<DecodeHintType, Any>): String? = try {
        QRCodeReader().decode(bitmap, hints).text.trim()
    } catch (e: Exception) {
        // NotFound, Checksum, Format: no code, or a damaged one
        null
    }
}
