package app.deko.android

import android.Manifest
import android.app.Activity
import android.app.role.RoleManager
import android.content.pm.PackageManager
import app.deko.android.calls.CallLoggingRequest
import app.deko.android.calls.CallLoggingSettings
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf

/**
 * The system's side of turning call logging on (after the ui's rationale
 * screen): the permissions first, then the call-screening role; refused
 * permissions leave it off, and the screen is told either way.
 */
@RunWith(RobolectricTestRunner::class)
class CallLoggingRequestTest {
    private val activity: Activity = Robolectric.buildActivity(Activity::class.java).setup().get()

    private fun askAndAnswer(grant: Boolean): Boolean? {
        var answer: Boolean? = null
        val request = CallLoggingRequest(activity)
        request.request { answer = it }
        val asked = shadowOf(activity).lastRequestedPermission
        assertEquals(CallLoggingRequest.PERMISSIONS, asked.requestCode)
        assertEquals(CallLoggingSettings.permissions(), asked.requestedPermissions.toList())
        assertNull("nothing decided while the dialog is open", answer)
        val results = IntArray(asked.requestedPermissions.size) { if (grant) PackageManager.PERMISSION_GRANTED else PackageManager.PERMISSION_DENIED }
        assertTrue(request.onPermissionsResult(asked.requestCode, results))
        if (grant) {
            // then the call-screening role's dialog; its answer completes the request
            val role = shadowOf(activity).nextStartedActivityForResult
            assertEquals(CallLoggingRequest.ROLE, role.requestCode)
            assertNull(answer)
            assertFalse(request.onActivityResult(role.requestCode + 1))
            assertTrue(request.onActivityResult(role.requestCode))
        }
        return answer
    }

    @Test
    fun refusedPermissionsLeaveItOff() {
        shadowOf(activity.getSystemService(RoleManager::class.java)).addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        assertEquals(false, askAndAnswer(grant = false))
        assertFalse(CallLoggingSettings.isOn(activity))
        assertFalse(CallLoggingRequest(activity).isOn())
    }

    @Test
    fun grantedPermissionsThenTheRoleTurnItOn() {
        shadowOf(activity.getSystemService(RoleManager::class.java)).addAvailableRole(RoleManager.ROLE_CALL_SCREENING)
        assertEquals(true, askAndAnswer(grant = true))
        assertTrue(CallLoggingSettings.isOn(activity))
        shadowOf(activity.application).grantPermissions(*CallLoggingSettings.permissions().toTypedArray())
        val request = CallLoggingRequest(activity)
        assertTrue(request.isOn())
        request.turnOff()
        assertFalse(request.isOn())
        // a permission taken away in the system's settings turns it off as the screen sees it
        CallLoggingSettings.setOn(activity, true)
        shadowOf(activity.application).denyPermissions(Manifest.permission.READ_PHONE_STATE)
        assertFalse(request.isOn())
        CallLoggingSettings.setOn(activity, false)
    }
}
