package app.deko.ui.i18n

import androidx.compose.runtime.Composable
import androidx.compose.runtime.ReadOnlyComposable
import androidx.compose.runtime.staticCompositionLocalOf
import app.deko.ui.data.Problem

// The strings in composition: the language as a CompositionLocal and the
// lookups screens use. Kept apart from Strings.kt so that the strings
// source itself needs no Compose (the Android app's notifications use it
// outside any composition).

val LocalLang = staticCompositionLocalOf { Lang.EN }

/** The text of [key] in the current language. */
@Composable
@ReadOnlyComposable
fun t(key: S, vararg args: Any): String = Strings.get(LocalLang.current, key, *args)

/** [Strings.explain] in the current language. */
@Composable
@ReadOnlyComposable
fun explain(p: Problem): String = Strings.explain(LocalLang.current, p)
