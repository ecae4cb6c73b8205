package app.deko.ui

import app.deko.ui.data.DekoGateway
import app.deko.ui.data.Invite
import app.deko.ui.vm.TeamViewModel
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Test
import java.util.concurrent.atomic.AtomicInteger

/**
 * What a view model does when its state changes while a core call is under
 * way (the user types, a sync reports): the call is made once and its answer
 * kept. A core call made inside `MutableStateFlow.update` ran again each time
 * the state changed meanwhile (update retries its function), so one tap on
 * "invite" could mint several one-time invites.
 */
class ViewModelStateTest {
    @Test
    fun oneTapOnInviteMintsOneInviteWhileTheScreenChanges() = Dbs().use { dbs ->
        val real = dbs.founder()
        val minted = AtomicInteger()
        val answer = CompletableDeferred<Unit>()
        val gw = object : DekoGateway by real {
            override suspend fun invite(): Invite {
                minted.incrementAndGet()
                val invite = real.invite()
                answer.await()
                return invite
            }
        }
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        try {
            runBlocking {
                val vm = TeamViewModel(gw, scope) { "done" }
                vm.invite()
                withTimeout(15_000) { while (minted.get() == 0) delay(10) }
                // the user types into the ticket field while the invite is made
                vm.onTicket("DEKO:typed")
                answer.complete(Unit)
                withTimeout(15_000) { while (vm.state.value.invite == null) delay(10) }
                assertNotNull(vm.state.value.invite)
                assertEquals("DEKO:typed", vm.state.value.ticket)
                delay(200)
                assertEquals("the invite was minted once", 1, minted.get())
            }
        } finally {
            scope.cancel()
        }
    }
}
