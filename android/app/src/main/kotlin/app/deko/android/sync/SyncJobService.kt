package app.deko.android.sync

import android.app.job.JobParameters
import android.app.job.JobService
import app.deko.android.core.Deko
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import java.util.concurrent.ConcurrentHashMap

/** Runs [backgroundSync] when a [SyncSchedule] job's conditions hold; stopped early, it asks to run again. */
class SyncJobService : JobService() {
    private val running = ConcurrentHashMap<Int, Job>()

    override fun onStartJob(params: JobParameters): Boolean {
        val core = Deko.core(this)
        running[params.jobId] = core.scope.launch {
            core.backgroundSync()
            running.remove(params.jobId)
            jobFinished(params, false)
        }
        return true
    }

    override fun onStopJob(params: JobParameters): Boolean {
        running.remove(params.jobId)?.cancel()
        return true
    }
}
