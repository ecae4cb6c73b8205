package app.deko.android

import android.Manifest
import android.content.Context
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import app.deko.android.nfc.TicketOutcome
import app.deko.android.nfc.useTicket
import app.deko.android.qr.CameraScanner
import app.deko.core.Role
import app.deko.ffi.InviteOptions
import app.deko.ui.jvm.Qr
import app.deko.ui.jvm.TicketScan
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadows.ShadowCameraCharacteristics
import java.nio.ByteBuffer

/**
 * Scanning a ticket with the camera, as far as it runs here: the camera
 * chosen, the permission respected, and a frame's Y plane with another
 * phone's QR code joins its team over the real library.
 */
@RunWith(RobolectricTestRunner::class)
class QrScanTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val cores = TestCores()

    @After
    fun tearDown() = cores.close()

    private fun camera(id: String, facing: Int) {
        val chars = ShadowCameraCharacteristics.newCameraCharacteristics()
        shadowOf(chars).set(CameraCharacteristics.LENS_FACING, facing)
        shadowOf(context.getSystemService(CameraManager::class.java)!!).addCamera(id, chars)
    }

    @Test
    fun theBackCameraIsChosenAndThePermissionRespected() {
        val cameras = context.getSystemService(CameraManager::class.java)!!
        assertNull("no camera, nothing to choose", CameraScanner.backCamera(cameras))
        shadowOf(RuntimeEnvironment.getApplication()).denyPermissions(Manifest.permission.CAMERA)
        assertTrue(CameraScanner.missingPermission(context))
        assertFalse("no scanning without the permission", CameraScanner(context) {}.start())
        shadowOf(RuntimeEnvironment.getApplication()).grantPermissions(Manifest.permission.CAMERA)
        assertFalse("no scanning without a camera", CameraScanner(context) {}.start())
        camera("0", CameraCharacteristics.LENS_FACING_FRONT)
        camera("1", CameraCharacteristics.LENS_FACING_BACK)
        assertEquals("1", CameraScanner.backCamera(cameras))
    }

    @Test
    fun aScannedInvitationJoinsTheTeam() = runBlocking<Unit> {
        val alena = cores.other("alena")
        alena.db.createTeam("Acme", "Alena")
        val ticket = alena.db.ticket(listOf(alena.ensureSync()), InviteOptions(Role.MEMBER, 600uL))
        // the code as the camera's Y plane sees it: 5 px a module, rows padded
        val modules = Qr.encode(ticket)
        val px = 5
        val w = modules.size * px
        val stride = w + 32
        val y = ByteArray(stride * w) { i -> if (modules.getOrNull(i / stride / px)?.getOrNull(i % stride / px) == true) 20 else -30 }
        val read = TicketScan.plane(ByteBuffer.wrap(y), w, w, stride)!!
        assertTrue(read.equals(ticket, ignoreCase = true))

        val petr = cores.phone("petr")
        val outcome = petr.useTicket(read, "Petr")
        assertTrue("$outcome", outcome is TicketOutcome.Joined)
        assertEquals(alena.db.stateDigest(), petr.db.stateDigest())
    }
}
