package app.deko.ui.theme

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

enum class ThemeMode { SYSTEM, LIGHT, DARK }

private val Light = lightColorScheme(
    primary = Color(0xFF0B5CAD), onPrimary = Color.White,
    primaryContainer = Color(0xFFD4E3FF), onPrimaryContainer = Color(0xFF001C3A),
    secondary = Color(0xFF545F71), secondaryContainer = Color(0xFFD8E3F8), onSecondaryContainer = Color(0xFF111C2B),
    tertiary = Color(0xFF1E6B3A), tertiaryContainer = Color(0xFFA6F4B5), onTertiaryContainer = Color(0xFF00210C),
    error = Color(0xFFBA1A1A), errorContainer = Color(0xFFFFDAD6), onErrorContainer = Color(0xFF410002),
    background = Color(0xFFFAF9FC), surface = Color(0xFFFAF9FC), surfaceVariant = Color(0xFFE0E2EC),
    surfaceContainer = Color(0xFFEEEDF1), surfaceContainerHigh = Color(0xFFE8E7EC), surfaceContainerLow = Color(0xFFF4F3F7),
)

private val Dark = darkColorScheme(
    primary = Color(0xFFA5C8FF), onPrimary = Color(0xFF00315F),
    primaryContainer = Color(0xFF004786), onPrimaryContainer = Color(0xFFD4E3FF),
    secondary = Color(0xFFBCC7DB), secondaryContainer = Color(0xFF3C4758), onSecondaryContainer = Color(0xFFD8E3F8),
    tertiary = Color(0xFF8BD79B), tertiaryContainer = Color(0xFF005227), onTertiaryContainer = Color(0xFFA6F4B5),
    error = Color(0xFFFFB4AB), errorContainer = Color(0xFF93000A), onErrorContainer = Color(0xFFFFDAD6),
    background = Color(0xFF111318), surface = Color(0xFF111318), surfaceVariant = Color(0xFF43474E),
    surfaceContainer = Color(0xFF1D2024), surfaceContainerHigh = Color(0xFF282A2F), surfaceContainerLow = Color(0xFF191C20),
)

@Composable
fun DekoTheme(mode: ThemeMode, content: @Composable () -> Unit) {
    val dark = when (mode) {
        ThemeMode.SYSTEM -> isSystemInDarkTheme()
        ThemeMode.LIGHT -> false
        ThemeMode.DARK -> true
    }
    MaterialTheme(colorScheme = if (dark) Dark else Light, content = content)
}
