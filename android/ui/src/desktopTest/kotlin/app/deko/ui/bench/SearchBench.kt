package app.deko.ui.bench

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.remember
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import app.deko.ui.format.LocalFormats
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.LocalLang
import app.deko.ui.jvm.FfiGateway
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.screens.PeopleListScreen
import app.deko.ui.theme.DekoTheme
import app.deko.ui.theme.ThemeMode
import app.deko.ui.vm.AppViewModel
import app.deko.ui.vm.MemoryPrefs
import app.deko.ui.vm.PeopleViewModel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.runBlocking
import java.io.File
import kotlin.random.Random

/**
 * Search as you type over N people (100,000 by default) through the real
 * library: for each keystroke of typical searches, the time from the keystroke
 * (the query handed to the people view-model) to the frame that shows its
 * results (the core's search on a background thread, the state update, the
 * recomposition, layout and a software-rendered frame of the phone screen at
 * 2 px/dp). The database is made once (a generated vCard imported through the
 * library) under target/bench-data and reused.
 *
 * usage: SearchBench [PEOPLE] [--dir DIR] [--deko PATH]
 * With `--deko` (the release CLI) the database comes from `deko demo --people
 * PEOPLE` (deko-testdata: companies, activities, tasks, deals too); without it,
 * from a generated vCard imported through the library.
 */
fun main(args: Array<String>) {
    val people = args.firstOrNull { it.all(Char::isDigit) }?.toInt() ?: 100_000
    val dir = args.indexOf("--dir").takeIf { it >= 0 }?.let { File(args[it + 1]) } ?: File("target/bench-data")
    dir.mkdirs()
    val deko = args.indexOf("--deko").takeIf { it >= 0 }?.let { File(args[it + 1]) }?.takeIf { it.canExecute() }
    val file = File(dir, if (deko != null) "demo-$people.db" else "people-$people.db")
    if (!file.exists()) if (deko != null) demo(deko, file, people) else create(file, people)
    FfiGateway.open(file.path, null, listen = "127.0.0.1:0").use { gw -> run(gw) }
}

private val GIVEN = listOf(
    "Jan", "Petr", "Jiří", "Josef", "Pavel", "Martin", "Tomáš", "Jaroslav", "Miroslav", "Zdeněk", "Václav", "Michal", "František",
    "Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena", "Petra", "Veronika", "Zdeňka",
    "Klaus", "Jürgen", "Stefan", "Thomas", "Andreas", "Sabine", "Ursula", "Monika", "Jörg", "Günter", "Anna", "Sophie",
)
private val FAMILY = listOf(
    "Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec", "Marek", "Pospíšil",
    "Pokorný", "Hájek", "Král", "Jelínek", "Růžička", "Beneš", "Fiala", "Sedláček", "Doležal", "Zeman", "Kolář", "Navrátil",
    "Čermák", "Vaněk", "Urban", "Blažek", "Kříž", "Kovář", "Bartoš", "Vlček", "Polák", "Musil", "Šimek", "Konečný", "Malý",
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch",
)
private val COMPANY = listOf("Strojírny", "Pekárna", "Autodíly", "Stavebniny", "Elektro", "Kovo", "Dřevo", "Agro", "Textil", "Sklo", "Maschinenbau", "Logistik")
private val PLACE = listOf("Žďár", "Brno", "Praha", "Ostrava", "Plzeň", "Olomouc", "Jihlava", "Zlín", "Liberec", "Třebíč", "Dresden", "Wien")

private fun feminine(family: String, given: String): String {
    val woman = given.endsWith("a") || given in setOf("Marie", "Ursula", "Sabine", "Sophie")
    if (!woman || family in setOf("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch")) return family
    return when {
        family.endsWith("ý") -> family.dropLast(1) + "á"
        family.endsWith("a") -> family.dropLast(1) + "ová"
        family.endsWith("ek") -> family.dropLast(2) + "ková"
        else -> family + "ová"
    }
}

private fun create(file: File, n: Int) {
    val rnd = Random(42)
    val sb = StringBuilder(n * 200)
    for (i in 0 until n) {
        val g = GIVEN[rnd.nextInt(GIVEN.size)]
        val f = feminine(FAMILY[rnd.nextInt(FAMILY.size)], g)
        val org = COMPANY[rnd.nextInt(COMPANY.size)] + " " + PLACE[rnd.nextInt(PLACE.size)] + " " + (rnd.nextInt(20) + 1)
        sb.append("BEGIN:VCARD\r\nVERSION:3.0\r\nN:").append(f).append(';').append(g).append(";;;\r\nFN:").append(g).append(' ').append(f)
            .append("\r\nORG:").append(org).append("\r\nTEL;TYPE=CELL:+420 6").append((10_000_000 + i).toString().padStart(8, '0'))
            .append("\r\nEMAIL:p").append(i).append("@example.cz\r\nEND:VCARD\r\n")
    }
    val t0 = System.nanoTime()
    FfiGateway.open(file.path + ".part", "CZ").use { gw ->
        runBlocking {
            gw.createTeam("Bench s.r.o.", "Bench")
            val report = gw.db.importVcard("bench.vcf", sb.toString().toByteArray())
            println("imported ${report.created.size} people (${report.companiesCreated} companies) in ${(System.nanoTime() - t0) / 1_000_000} ms")
        }
    }
    File(file.path + ".part").renameTo(file)
    File(file.path + ".part-wal").delete()
    File(file.path + ".part-shm").delete()
}

/** The CLI's generator (`deko demo`, deko-testdata): people, companies, activities, tasks and deals of realistic shape. */
private fun demo(deko: File, file: File, n: Int) {
    val tmp = File(file.path + ".d").apply { deleteRecursively(); mkdirs() }
    val t0 = System.nanoTime()
    for (cmd in listOf(listOf("init", "--team", "Bench s.r.o.", "--name", "Bench"), listOf("demo", "--people", n.toString()))) {
        val p = ProcessBuilder(listOf(deko.path, "--data", tmp.path) + cmd).inheritIO().start()
        check(p.waitFor() == 0) { "deko ${cmd.first()} failed" }
    }
    File(tmp, "deko.db").renameTo(file)
    tmp.deleteRecursively()
    println("deko demo --people $n in ${(System.nanoTime() - t0) / 1_000_000} ms")
}

private val SEARCHES = listOf("novak", "dvorakova", "jan nov", "muller", "strojirny zdar", "kucerova", "petr svo", "schmidt", "603 100", "hajkova")

private fun pct(sorted: List<Double>, p: Double) = sorted[((sorted.size - 1) * p).toInt()]

private fun run(gw: FfiGateway) {
    val count = runBlocking { gw.personCount() }
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
    val platform = app.deko.ui.platform()
    val vm = PeopleViewModel(gw, scope, platform.clock)
    val app = AppViewModel(gw, scope, MemoryPrefs(), startSync = false)
    val nav = Navigator()
    val latencies = ArrayList<Double>()
    val searches = ArrayList<Double>()
    val renders = ArrayList<Double>()
    ImageComposeScene(822, 1782, Density(2f)) {
        CompositionLocalProvider(LocalLang provides Lang.EN, LocalFormats provides remember { JvmFormats(Lang.EN) }) {
            DekoTheme(ThemeMode.LIGHT) { Box(Modifier.fillMaxSize()) { PeopleListScreen(gw, platform, nav, app, Route.People, vm) } }
        }
    }.use { scene ->
        var t = 0L
        fun frame() { t += 16_000_000; scene.render(t) }
        // the unfiltered list first
        val start = System.nanoTime()
        while (!vm.state.value.loaded && System.nanoTime() - start < 30_000_000_000) { frame(); Thread.sleep(5) }
        for (round in 0 until 3) {
            for (word in SEARCHES) {
                for (k in 1..word.length) {
                    val q = word.substring(0, k)
                    val t0 = System.nanoTime()
                    vm.onQuery(q)
                    while (vm.state.value.hitsFor != q) Thread.onSpinWait()
                    val t1 = System.nanoTime()
                    frame()
                    val t2 = System.nanoTime()
                    if (round > 0) {
                        latencies += (t2 - t0) / 1e6
                        renders += (t2 - t1) / 1e6
                    }
                }
                vm.onQuery("")
                while (vm.state.value.hits != null) Thread.onSpinWait()
                frame()
            }
        }
        // the core's search alone, for reference
        for (word in SEARCHES) for (k in 1..word.length) {
            val t0 = System.nanoTime()
            runBlocking { gw.search(word.substring(0, k), 50) }
            searches += (System.nanoTime() - t0) / 1e6
        }
    }
    fun line(name: String, v: List<Double>) {
        val s = v.sorted()
        println(String.format("%-34s n=%4d  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms", name, s.size, pct(s, 0.5), pct(s, 0.95), pct(s, 0.99), s.last()))
    }
    println("search as you type over $count people (phone screen, 822x1782 px software frame)")
    line("keystroke to rendered list", latencies)
    line("  of which the frame (compose+draw)", renders)
    line("core search alone (top 50)", searches)
}
