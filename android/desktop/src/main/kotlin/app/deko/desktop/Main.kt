package app.deko.desktop

import androidx.compose.runtime.*
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.drawscope.DrawScope
import androidx.compose.ui.graphics.painter.Painter
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.input.key.KeyShortcut
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.*
import app.deko.ui.DekoApp
import app.deko.ui.Platform
import app.deko.ui.i18n.Lang
import app.deko.ui.i18n.S
import app.deko.ui.i18n.Strings
import app.deko.ui.jvm.FfiGateway
import app.deko.ui.jvm.FilePrefs
import app.deko.ui.jvm.JvmFormats
import app.deko.ui.jvm.SystemClock
import app.deko.ui.data.CoreException
import app.deko.ui.nav.Navigator
import app.deko.ui.nav.Route
import app.deko.ui.nav.Section
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.awt.Rectangle
import java.awt.Robot
import java.awt.Toolkit
import java.awt.datatransfer.StringSelection
import java.io.File
import javax.imageio.ImageIO
import kotlin.system.exitProcess

/** Deko's round blue mark, drawn (no image files to ship). */
private object DekoIcon : Painter() {
    override val intrinsicSize = Size(64f, 64f)
    override fun DrawScope.onDraw() {
        drawCircle(Color(0xFF0B5CAD))
        drawCircle(Color.White, radius = size.minDimension * 0.22f, center = Offset(size.width * 0.5f, size.height * 0.5f))
    }
}

/**
 * The desktop app: `deko-desktop [--data DIR] [--screenshot FILE [--exit]]`.
 * Opens the database of the data directory the CLI uses (or `--data`), founds
 * or joins a team on first run, then shows the people list.
 */
fun main(args: Array<String>) {
    var dataDir = DataDir.resolve()
    var screenshot: File? = null
    var exitAfter = false
    var i = 0
    while (i < args.size) {
        when (args[i]) {
            "--data" -> dataDir = File(args[++i])
            "--screenshot" -> screenshot = File(args[++i])
            "--exit" -> exitAfter = true
            "--help", "-h" -> {
                println("usage: deko-desktop [--data DIR] [--screenshot FILE [--exit]]\n  data directory: \$DEKO_DATA, else \$XDG_DATA_HOME/deko, else ~/.local/share/deko")
                return
            }
        }
        i++
    }
    dataDir.mkdirs()
    StderrLog.install()
    val db = DataDir.database(dataDir)
    val gateway = try {
        FfiGateway.open(db.path)
    } catch (e: CoreException) {
        System.err.println("deko: cannot open ${db.path}: ${e.detail}")
        exitProcess(1)
    }
    println("deko desktop: ${db.path}")
    val prefs = FilePrefs(File(dataDir, "ui.properties"))
    val platform = Platform(
        clock = SystemClock(),
        formats = { JvmFormats(it) },
        prefs = prefs,
        copy = { Toolkit.getDefaultToolkit().systemClipboard.setContents(StringSelection(it), null) },
        scanner = DesktopScan.scanner { Strings.get(Lang.entries.find { it.tag == prefs.get("lang") } ?: Lang.EN, S.ScanPickImage) },
    )
    application {
        val nav = remember { Navigator() }
        val scope = rememberCoroutineScope()
        val lang = Lang.entries.find { it.tag == prefs.get("lang") } ?: Lang.EN
        fun s(key: S, vararg a: Any) = Strings.get(lang, key, *a)
        val trayState = rememberTrayState()
        val quit = {
            gateway.close()
            exitApplication()
        }
        val syncNow: () -> Unit = {
            scope.launch {
                val text = try {
                    val results = gateway.syncNow { }
                    results.firstOrNull { it.error != null }?.let { s(S.SyncFailed, it.error!!) } ?: s(S.SyncDone)
                } catch (e: CoreException) {
                    s(S.SyncFailed, e.message.orEmpty())
                }
                trayState.sendNotification(Notification("Deko", text))
            }
        }
        if (isTraySupported) {
            Tray(DekoIcon, trayState, tooltip = "Deko", menu = {
                Item(s(S.SyncNow), onClick = syncNow)
                Item(s(S.Quit), onClick = quit)
            })
        }
        Window(
            onCloseRequest = quit,
            title = "Deko",
            icon = DekoIcon,
            state = rememberWindowState(width = 1280.dp, height = 800.dp),
        ) {
            MenuBar {
                Menu(s(S.AppName), mnemonic = 'D') {
                    Item(s(S.AddPerson), shortcut = KeyShortcut(Key.N, ctrl = true), onClick = { nav.show(Route.EditPerson(null)) })
                    Item(s(S.LogCall), shortcut = KeyShortcut(Key.L, ctrl = true), onClick = { nav.show(Route.LogCall(null)) })
                    Item(s(S.SyncNow), shortcut = KeyShortcut(Key.R, ctrl = true), onClick = syncNow)
                    Separator()
                    Item(s(S.Quit), shortcut = KeyShortcut(Key.Q, ctrl = true), onClick = quit)
                }
                Menu(s(S.GoTo), mnemonic = 'G') {
                    val keys = listOf(Key.One, Key.Two, Key.Three, Key.Four, Key.Five, Key.Six)
                    for ((n, section) in Section.entries.withIndex()) {
                        val label = when (section) {
                            Section.PEOPLE -> s(S.People); Section.TASKS -> s(S.Tasks); Section.DEALS -> s(S.Deals)
                            Section.CONFLICTS -> s(S.Conflicts); Section.TEAM -> s(S.TeamSync); Section.SETTINGS -> s(S.Settings)
                        }
                        Item(label, shortcut = KeyShortcut(keys[n], ctrl = true), onClick = { nav.select(section) })
                    }
                }
            }
            DekoApp(gateway, platform, nav)
            screenshot?.let { file ->
                LaunchedEffect(Unit) {
                    delay(4000)
                    val w = window
                    val p = w.contentPane.locationOnScreen
                    val image = Robot().createScreenCapture(Rectangle(p.x, p.y, w.contentPane.width, w.contentPane.height))
                    file.parentFile?.mkdirs()
                    ImageIO.write(image, "png", file)
                    println("screenshot: ${file.path} (${image.width}x${image.height})")
                    if (exitAfter) quit()
                }
            }
        }
    }
}
