package app.deko.android

import android.Manifest
import android.app.Activity
import android.content.pm.PackageManager
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import android.os.Looper
import android.widget.Button
import app.deko.android.nfc.TicketOutcome
import app.deko.android.nfc.useTicket
import app.deko.android.qr.CameraTicketScanner
import app.deko.core.Role
import app.deko.ffi.InviteOptions
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.jvm.Qr
import app.deko.ui.vm.ScanResult
import app.deko.ui.vm.ScanViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadows.ShadowCameraCharacteristics
import org.robolectric.shadows.ShadowDialog
import java.nio.ByteBuffer

/**
 * The app's "Scan QR code" (the ui's TicketScanner on Android): the camera
 * permission asked first and a refusal said in the app's language, no camera
 * said too, Cancel, and a camera frame showing another phone's invitation
 * coming back as the ticket that joins its team over the real library.
 */
@OptIn(ExperimentalCoroutinesApi::class)
@RunWith(RobolectricTestRunner::class)
class CameraTicketScannerTest {
    private val activity: Activity = Robolectric.buildActivity(Activity::class.java).setup().get()
    private val cores = TestCores()

    @After
    fun tearDown() = cores.close()

    /** scan() started on the main thread (as the screens' scope does); it completes when the test answers. */
    private fun scanning(scanner: CameraTicketScanner): Deferred<ScanResult> =
        CoroutineScope(Dispatchers.Unconfined).async(start = CoroutineStart.UNDISPATCHED) { scanner.scan() }

    private fun idle() = shadowOf(Looper.getMainLooper()).idle()

    private fun backCamera() {
        val chars = ShadowCameraCharacteristics.newCameraCharacteristics()
        shadowOf(chars).set(CameraCharacteristics.LENS_FACING, CameraCharacteristics.LENS_FACING_BACK)
        shadowOf(activity.getSystemService(CameraManager::class.java)!!).addCamera("0", chars)
    }

    @Test
    fun aRefusedCameraPermissionIsSaidInTheAppsLanguage() {
        shadowOf(activity.application).denyPermissions(Manifest.permission.CAMERA)
        backCamera()
        val scanner = CameraTicketScanner(activity)
        var got: String? = null
        val vm = ScanViewModel(scanner, CoroutineScope(Dispatchers.Unconfined)) { got = it }
        vm.scan()
        assertTrue(vm.state.value.scanning)
        val asked = shadowOf(activity).lastRequestedPermission
        assertEquals(CameraTicketScanner.PERMISSION, asked.requestCode)
        assertEquals(listOf(Manifest.permission.CAMERA), asked.requestedPermissions.toList())
        assertFalse("another request's answer is not ours", scanner.onPermissionsResult(asked.requestCode + 1, intArrayOf(PackageManager.PERMISSION_DENIED)))
        assertTrue(scanner.onPermissionsResult(asked.requestCode, intArrayOf(PackageManager.PERMISSION_DENIED)))
        idle()
        assertFalse(vm.state.value.scanning)
        assertEquals(S.ScanCameraRefused, vm.state.value.message)
        assertNull("no ticket, no scanning screen", got)
        assertNull(ShadowDialog.getLatestDialog())
        assertTrue(Strings.get(Lang.CS, vm.state.value.message!!).contains("fotoaparát"))
        // an empty answer (the dialog interrupted) is a refusal too, not a crash
        val again = scanning(scanner)
        assertTrue(scanner.onPermissionsResult(CameraTicketScanner.PERMISSION, IntArray(0)))
        assertEquals(ScanResult.CameraRefused, again.getCompleted())
    }

    @Test
    fun withoutACameraItSaysSo() {
        shadowOf(activity.application).grantPermissions(Manifest.permission.CAMERA)
        val vm = ScanViewModel(CameraTicketScanner(activity), CoroutineScope(Dispatchers.Unconfined)) {}
        vm.scan()
        assertEquals(S.ScanNoCamera, vm.state.value.message)
    }

    @Test
    fun cancelClosesTheScannerWithNothingToSay() {
        shadowOf(activity.application).grantPermissions(Manifest.permission.CAMERA)
        backCamera()
        val scanner = CameraTicketScanner(activity)
        val result = scanning(scanner)
        val dialog = scanner.dialog!!
        assertTrue(dialog.isShowing)
        dialog.window!!.decorView.findViewWithTag<Button>("scan-cancel").performClick()
        idle()
        assertEquals(ScanResult.Cancelled, result.getCompleted())
        assertFalse(dialog.isShowing)
        assertNull(scanner.dialog)
    }

    @Test
    fun aFrameWithAnInvitationBringsTheTicketBackAndItJoins() = runBlocking<Unit> {
        val alena = cores.other("alena")
        alena.db.createTeam("Acme", "Alena")
        val ticket = alena.db.ticket(listOf(alena.ensureSync()), InviteOptions(Role.MEMBER, 600uL))

        shadowOf(activity.application).grantPermissions(Manifest.permission.CAMERA)
        backCamera()
        val scanner = CameraTicketScanner(activity)
        val result = scanning(scanner)
        assertNull("granted: nothing asked", shadowOf(activity).lastRequestedPermission)
        val dialog = scanner.dialog!!
        assertTrue(dialog.isShowing)
        assertEquals(ShadowDialog.getLatestDialog(), dialog)
        // the preview appears: the camera starts on it
        dialog.preview.surfaceTextureListener!!.onSurfaceTextureAvailable(SurfaceTexture(0), 600, 600)
        idle()

        // a frame without a code changes nothing; one with the code (the camera's
        // Y plane: 5 px a module, dark on light, rows padded) ends the scan
        val modules = Qr.encode(ticket)
        val px = 5
        val w = modules.size * px
        val stride = w + 32
        assertFalse(dialog.scanner.frame(ByteBuffer.wrap(ByteArray(stride * w) { 60 }), w, w, stride))
        assertFalse(result.isCompleted)
        val y = ByteArray(stride * w) { i -> if (modules.getOrNull(i / stride / px)?.getOrNull(i % stride / px) == true) 20 else -30 }
        assertTrue(dialog.scanner.frame(ByteBuffer.wrap(y), w, w, stride))
        idle()
        val read = (result.getCompleted() as ScanResult.Ticket).text
        assertTrue(read.equals(ticket, ignoreCase = true))
        assertFalse(dialog.isShowing)
        assertFalse("stopped at the first ticket", dialog.scanner.frame(ByteBuffer.wrap(y), w, w, stride))

        val petr = cores.phone("petr")
        val outcome = petr.useTicket(read, "Petr")
        assertTrue("$outcome", outcome is TicketOutcome.Joined)
        assertEquals(alena.db.stateDigest(), petr.db.stateDigest())
        assertNotNull(petr.db.team())
    }
}
