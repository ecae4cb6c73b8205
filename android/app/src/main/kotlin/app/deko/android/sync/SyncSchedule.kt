package app.deko.android.sync

import android.app.job.JobInfo
import android.app.job.JobScheduler
import android.content.ComponentName
import android.content.Context

/**
 * The periodic background sync: on an unmetered network, and while charging
 * or while the phone is idle. JobScheduler cannot say "charging or idle" in
 * one job, so there are two with the same work; whichever runs first syncs,
 * and the other then finds little to do.
 */
object SyncSchedule {
    const val JOB_CHARGING = 1401
    const val JOB_IDLE = 1402
    const val PERIOD_MS = 60 * 60 * 1000L

    fun jobs(context: Context): List<JobInfo> {
        val service = ComponentName(context, SyncJobService::class.java)
        fun base(id: Int) = JobInfo.Builder(id, service)
            .setRequiredNetworkType(JobInfo.NETWORK_TYPE_UNMETERED)
            .setPeriodic(PERIOD_MS)
            .setPersisted(true)
        return listOf(
            base(JOB_CHARGING).setRequiresCharging(true).build(),
            base(JOB_IDLE).setRequiresDeviceIdle(true).build(),
        )
    }

    /** Schedules both jobs (again: the same ids replace the old ones). */
    fun schedule(context: Context): Boolean {
        val scheduler = context.getSystemService(JobScheduler::class.java) ?: return false
        return jobs(context).all { scheduler.schedule(it) == JobScheduler.RESULT_SUCCESS }
    }

    fun cancel(context: Context) {
        val scheduler = context.getSystemService(JobScheduler::class.java) ?: return
        scheduler.cancel(JOB_CHARGING)
        scheduler.cancel(JOB_IDLE)
    }
}
