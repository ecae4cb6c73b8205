package app.deko.android

import android.app.job.JobInfo
import android.app.job.JobScheduler
import android.content.Context
import android.net.nsd.NsdManager
import android.net.nsd.NsdServiceInfo
import app.deko.android.core.AppCore
import app.deko.android.discovery.MulticastHold
import app.deko.android.discovery.NearbySync
import app.deko.android.discovery.NsdDiscovery
import app.deko.android.sync.SyncSchedule
import app.deko.android.sync.backgroundSync
import app.deko.core.Role
import app.deko.core.SortBy
import app.deko.ffi.DiscoveryPlatform
import app.deko.ffi.InviteOptions
import app.deko.ffi.PersonDraft
import app.deko.ffi.SeenService
import app.deko.ffi.SyncSettings
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import java.net.InetAddress

/**
 * Finding a teammate on the Wi-Fi (NsdManager behind the core's discovery)
 * and the periodic background sync, over the real library: a resolved
 * service feeds the core's auto-sync, which fetches the teammate's records.
 */
@RunWith(RobolectricTestRunner::class)
class NearbyAndBackgroundSyncTest {
    private val context: Context = RuntimeEnvironment.getApplication()
    private val cores = TestCores()
    private lateinit var alena: AppCore
    private lateinit var petr: AppCore

    /** The other phone's announcements (its own discovery is not under test). */
    private class Announced : DiscoveryPlatform {
        @Volatile var instance: String? = null
        @Volatile var port: Int = 0
        override fun announce(instance: String, port: UShort) { this.instance = instance; this.port = port.toInt() }
        override fun seen(): List<SeenService> = emptyList()
        override fun shutdown() {}
    }

    /** The multicast lock as the test sees it (Robolectric 4.17 cannot load WifiManager on API 35). */
    private class Hold : MulticastHold {
        @Volatile override var isHeld = false
        override fun acquire() { isHeld = true }
        override fun release() { isHeld = false }
    }

    @Before
    fun setUp() = runBlocking<Unit> {
        alena = cores.other("alena")
        alena.db.createTeam("Acme", "Alena")
        val addr = alena.ensureSync()
        petr = cores.phone("petr")
        petr.db.join(alena.db.ticket(listOf(addr), InviteOptions(Role.MEMBER, 600uL)), "Petr", SyncSettings("127.0.0.1:0", null))
        alena.db.createPerson(PersonDraft(given = "Eva", family = "Dvořáková"))
    }

    @After
    fun tearDown() = cores.close()

    private fun petrHasEva() = petr.db.people(SortBy.NAME, 0u, 10u).any { it.displayName == "Eva Dvořáková" }

    @Test
    fun anNsdResolveFeedsAPeerToAutoSync() = runBlocking<Unit> {
        val announced = Announced()
        alena.db.startDiscovery(announced, 200uL)
        eventually(what = "alena announces") { announced.instance != null }

        val discovery = NearbySync.start(context, petr, intervalMs = 200, lock = Hold())
        assertTrue("the multicast lock is held while discovering", discovery.holdsMulticastLock)
        val nsd = shadowOf(context.getSystemService(NsdManager::class.java))
        val type = NsdDiscovery.nsdType(app.deko.ffi.discoveryServiceType())
        assertEquals("_deko._udp", type)
        assertTrue("petr browses the service type", nsd.getDiscoveryListeners(type)!!.isNotEmpty())
        assertFalse(petrHasEva())

        // NSD finds alena's service and resolves it to loopback
        val found = NsdServiceInfo().apply { serviceName = announced.instance; serviceType = type }
        nsd.getDiscoveryListeners(type)!!.single().onServiceFound(found)
        val resolved = NsdServiceInfo().apply {
            serviceName = announced.instance; serviceType = type; port = announced.port
            hostAddresses = listOf(InetAddress.getByName("127.0.0.1"))
        }
        nsd.getServiceInfoCallbacks(found)!!.single().onServiceUpdated(resolved)
        assertEquals(listOf(SeenService(announced.instance!!, listOf("127.0.0.1:${announced.port}"))), discovery.seen())

        eventually(what = "auto-sync fetches alena's records") { petrHasEva() }
        assertEquals(alena.db.stateDigest(), petr.db.stateDigest())

        NearbySync.stop(petr)
        eventually(what = "the lock is let go when discovery stops") { !discovery.holdsMulticastLock }
    }

    @Test
    fun lostServicesAndOddAddressesAreDropped() {
        val discovery = NsdDiscovery(context, Hold()).also { it.start() }
        val nsd = shadowOf(context.getSystemService(NsdManager::class.java))
        val type = "_deko._udp"
        val info = NsdServiceInfo().apply { serviceName = "x"; serviceType = type }
        val listener = nsd.getDiscoveryListeners(type)!!.single()
        listener.onServiceFound(info)
        nsd.getServiceInfoCallbacks(info)!!.single().onServiceUpdated(NsdServiceInfo().apply {
            serviceName = "x"; serviceType = type; port = 7000
            hostAddresses = listOf(InetAddress.getByName("fe80::1"), InetAddress.getByName("2001:db8::5"), InetAddress.getByName("192.168.1.20"))
        })
        assertEquals(listOf(SeenService("x", listOf("[2001:db8:0:0:0:0:0:5]:7000", "192.168.1.20:7000"))), discovery.seen())
        listener.onServiceLost(info)
        assertTrue(discovery.seen().isEmpty())
        assertNull(NsdDiscovery.address(InetAddress.getByName("10.0.0.1"), 0))
        discovery.shutdown()
        assertFalse(discovery.holdsMulticastLock)
    }

    @Test
    fun backgroundSyncIsScheduledOnUnmeteredNetworksWhileChargingOrIdle() {
        assertTrue(SyncSchedule.schedule(context))
        val jobs = context.getSystemService(JobScheduler::class.java)!!.allPendingJobs.sortedBy { it.id }
        assertEquals(listOf(SyncSchedule.JOB_CHARGING, SyncSchedule.JOB_IDLE), jobs.map { it.id })
        for (job in jobs) {
            assertEquals(JobInfo.NETWORK_TYPE_UNMETERED, job.networkType)
            assertTrue(job.isPeriodic)
            assertEquals(SyncSchedule.PERIOD_MS, job.intervalMillis)
        }
        assertTrue(jobs[0].isRequireCharging && !jobs[0].isRequireDeviceIdle)
        assertTrue(jobs[1].isRequireDeviceIdle && !jobs[1].isRequireCharging)
        SyncSchedule.cancel(context)
        assertTrue(context.getSystemService(JobScheduler::class.java)!!.allPendingJobs.isEmpty())
    }

    @Test
    fun aBackgroundSyncFetchesWhatTeammatesWrote() = runBlocking<Unit> {
        val report = petr.backgroundSync()!!
        assertTrue(report.sessions.isNotEmpty() && report.sessions.all { it.error == null })
        assertTrue(petrHasEva())
        // a phone without a team has nothing to sync
        assertNull(cores.other("fresh").backgroundSync())
    }
}
