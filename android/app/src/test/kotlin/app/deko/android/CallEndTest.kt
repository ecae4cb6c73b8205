package app.deko.android

import android.app.Notification
import android.app.NotificationManager
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Bundle
import android.telecom.Call
import android.telecom.DisconnectCause
import android.telephony.TelephonyManager
import org.robolectric.RuntimeEnvironment
import app.deko.android.calls.CallActionReceiver
import app.deko.android.calls.CallLoggingSettings
import app.deko.android.calls.CallMonitor
import app.deko.android.calls.CallScreening
import app.deko.android.calls.CallStateWatcher
import app.deko.android.calls.LogCallRequest
import app.deko.android.calls.PhoneStateReceiver
import app.deko.android.core.AppCore
import app.deko.android.core.AppLanguage
import app.deko.core.ActivityKind
import app.deko.core.Direction
import app.deko.core.Phone
import app.deko.core.PhoneLabel
import app.deko.ffi.PersonDraft
import app.deko.ui.data.CallDirection
import app.deko.ui.i18n.Lang
import app.deko.ui.nav.Route
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf

/**
 * After a call, over the real library: call screening gives the number, the
 * call state its end, the notification names the person the core matched,
 * and its "Connected" action logs the call in the database.
 */
@RunWith(RobolectricTestRunner::class)
class CallEndTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val cores = TestCores()
    private lateinit var phone: AppCore
    private lateinit var jana: String
    private var now = 1_760_000_000_000L
    private val nm get() = context.getSystemService(NotificationManager::class.java)

    @Before
    fun setUp() {
        phone = cores.phone()
        phone.db.createTeam("Acme s.r.o.", "Alena")
        jana = phone.db.createPerson(PersonDraft(given = "Jana", family = "Nováková", phones = listOf(Phone(PhoneLabel.MOBILE, "603 123 456"))))
        CallMonitor.clock = { now }
        CallLoggingSettings.setOn(context, true)
    }

    @After
    fun tearDown() {
        CallMonitor.clock = System::currentTimeMillis
        cores.close()
    }

    private fun state(state: Int, advanceS: Long = 0) {
        now += advanceS * 1000
        CallStateWatcher(context).onCallStateChanged(state)
    }

    private fun screen(number: String) {
        val service = Robolectric.setupService(CallScreening::class.java)
        val details = Call.Details(
            Call.STATE_RINGING, "call-1", Uri.fromParts("tel", number, null), 1, null, 1, null, 0, 0,
            DisconnectCause(DisconnectCause.UNKNOWN), 0L, null, 0, null, Bundle(), Bundle(), now, null,
            Call.Details.DIRECTION_INCOMING, 0, null,
        )
        service.onScreenCall(details)
        val response = shadowOf(service).lastRespondToCallInput.get().callResponse
        assertTrue("calls are let through", !response.disallowCall && !response.rejectCall && !response.silenceCall)
    }

    private fun only(): Notification = shadowOf(nm).allNotifications.single()

    private fun Notification.title() = extras.getCharSequence(Notification.EXTRA_TITLE).toString()
    private fun Notification.text() = extras.getCharSequence(Notification.EXTRA_TEXT).toString()
    private fun Notification.labels() = actions.orEmpty().map { it.title.toString() }
    private fun Notification.action(label: String): Intent = shadowOf(actions.single { it.title == label }.actionIntent).savedIntent

    @Test
    fun aKnownCallerEndsInANotificationWhoseConnectedActionLogsTheCall() {
        screen("+420603123456")
        val start = now + 5_000
        state(TelephonyManager.CALL_STATE_RINGING)
        state(TelephonyManager.CALL_STATE_OFFHOOK, 5)
        state(TelephonyManager.CALL_STATE_IDLE, 4 * 60 + 10)

        val n = only()
        assertEquals("Log call with Jana Nováková · 4 min", n.title())
        assertEquals(listOf("Connected", "No answer", "Left a message"), n.labels())
        // the tap opens the log-a-call sheet prefilled: number, start, duration, person
        val sheet = LogCallRequest.of(shadowOf(n.contentIntent).savedIntent)!!
        assertEquals(Route.LogCall(jana, "+420603123456", start, 250), sheet.route())
        assertEquals(CallDirection.IN, sheet.direction)

        CallActionReceiver().onReceive(context, n.action("Connected"))
        val call = phone.db.recentCalls(0u, 10u).single()
        assertEquals(listOf(jana), call.people)
        assertEquals(start, call.at)
        assertEquals(ActivityKind.Call(Direction.IN, "+420603123456", 250, "connected"), call.kind)
        assertTrue("the notification is gone once logged", shadowOf(nm).allNotifications.isEmpty())
    }

    @Test
    fun anUnknownNumberOffersANewPersonOrAttachTo() {
        CallMonitor.dialled(context, "+49 30 1234567")
        state(TelephonyManager.CALL_STATE_OFFHOOK, 2)
        state(TelephonyManager.CALL_STATE_IDLE, 95)

        val n = only()
        assertEquals("Call with +49 30 1234567 · 2 min", n.title())
        assertEquals("This number belongs to nobody yet: make a new person or attach it to someone.", n.text())
        assertEquals(listOf("Connected", "New person", "Attach to…"), n.labels())
        val newPerson = LogCallRequest.of(shadowOf(n.actions[1].actionIntent).savedIntent)!!
        assertEquals("the new-person form starts with the number", Route.EditPerson(null, "+49 30 1234567"), newPerson.route())
        val attach = LogCallRequest.of(shadowOf(n.actions[2].actionIntent).savedIntent)!!
        assertEquals(Route.LogCall(null, "+49 30 1234567", now - 95_000, 95), attach.route())

        CallActionReceiver().onReceive(context, n.action("Connected"))
        val call = phone.db.recentCalls(0u, 10u).single()
        assertTrue("an unknown number belongs to nobody", call.people.isEmpty())
        assertEquals(listOf("+49301234567"), phone.db.unknownNumbers(0u, 10u).map { it.number })
    }

    @Test
    fun aMissedCallAndTheChosenLanguage() {
        AppLanguage.set(context, Lang.CS)
        screen("603123456")
        state(TelephonyManager.CALL_STATE_RINGING)
        state(TelephonyManager.CALL_STATE_IDLE, 20)
        val n = only()
        assertEquals("Zmeškaný hovor od Jana Nováková", n.title())
        assertEquals(listOf("Spojeno", "Nebere to", "Nechal(a) jsem vzkaz"), n.labels())
    }

    @Test
    fun thePhoneStateBroadcastAloneIsEnough() {
        fun broadcast(state: String, advanceS: Long) {
            now += advanceS * 1000
            PhoneStateReceiver().onReceive(context, Intent(TelephonyManager.ACTION_PHONE_STATE_CHANGED).putExtra(TelephonyManager.EXTRA_STATE, state))
        }
        broadcast(TelephonyManager.EXTRA_STATE_OFFHOOK, 0)
        broadcast(TelephonyManager.EXTRA_STATE_IDLE, 600)
        val n = only()
        // no number known: nothing to log by itself, the tap opens the sheet
        assertEquals("Call with Unknown number · 10 min", n.title())
        assertTrue(n.labels().isEmpty())
        assertEquals(Route.LogCall(null, null, now - 600_000, 600), LogCallRequest.of(shadowOf(n.contentIntent).savedIntent)!!.route())
    }

    @Test
    fun withCallLoggingOffNothingIsFollowed() {
        CallLoggingSettings.setOn(context, false)
        screen("+420603123456")
        state(TelephonyManager.CALL_STATE_RINGING)
        state(TelephonyManager.CALL_STATE_OFFHOOK, 5)
        state(TelephonyManager.CALL_STATE_IDLE, 60)
        assertTrue(shadowOf(nm).allNotifications.isEmpty())
        assertTrue(phone.db.recentCalls(0u, 10u).isEmpty())
    }

    @Test
    fun malformedIntentsAreIgnored() {
        assertNull(LogCallRequest.of(Intent(LogCallRequest.ACTION)))
        assertNull(LogCallRequest.of(Intent("something.else").putExtra("start", 5L)))
        CallActionReceiver().onReceive(context, Intent(CallActionReceiver.ACTION))
        CallActionReceiver().onReceive(context, Intent(CallActionReceiver.ACTION).putExtra("start", 5L).putExtra("number", "hello"))
        assertTrue(phone.db.recentCalls(0u, 10u).isEmpty())
    }
}
