package app.deko.ui.jvm

import com.google.zxing.BarcodeFormat
import com.google.zxing.EncodeHintType
import com.google.zxing.qrcode.QRCodeWriter
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel

/** The QR code of a ticket as rows of dark modules, with a 2-module quiet zone (ZXing core: JVM and Android). */
object Qr {
    fun encode(text: String): List<BooleanArray> {
        // Tickets are upper-case base32 behind "DEKO:": QR alphanumeric mode, level M.
        val hints = mapOf(EncodeHintType.ERROR_CORRECTION to ErrorCorrectionLevel.M, EncodeHintType.MARGIN to 2)
        val m = QRCodeWriter().encode(text.uppercase(), BarcodeFormat.QR_CODE, 0, 0, hints)
        return List(m.height) { y -> BooleanArray(m.width) { x -> m.get(x, y) } }
    }
}
