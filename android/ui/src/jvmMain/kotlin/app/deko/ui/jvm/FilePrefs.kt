package app.deko.ui.jvm

import app.deko.ui.vm.UiPrefs
import java.io.File
import java.util.Properties

/** UI preferences (language, theme) in a properties file beside the database. */
class FilePrefs(private val file: File) : UiPrefs {
    private val props = Properties().apply { if (file.isFile) file.inputStream().use { load(it) } }

    override fun get(key: String): String? = props.getProperty(key)

    @Synchronized
    override fun set(key: String, value: String) {
        props.setProperty(key, value)
        file.parentFile?.mkdirs()
        file.outputStream().use { props.store(it, "Deko UI preferences") }
    }
}
