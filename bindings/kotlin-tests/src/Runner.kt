// Runs every test of the Deko bindings on the JVM, prints one line per test
// and exits non-zero if any failed. `run NAME...` runs only those tests.
package app.deko.tests

import kotlin.system.exitProcess

class Failed(message: String) : AssertionError(message)

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw Failed(message())
}

fun <T> checkEq(expected: T, actual: T, what: String) {
    if (expected != actual) throw Failed("$what: expected <$expected>, got <$actual>")
}

/** Runs [block] and returns the exception of type [E] it must throw. */
inline fun <reified E : Throwable> expectThrows(what: String, block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw Failed("$what: expected ${E::class.simpleName}, got ${e::class.qualifiedName}: ${e.message}")
    }
    throw Failed("$what: expected ${E::class.simpleName}, nothing was thrown")
}

fun main(args: Array<String>) {
    val selected = TESTS.filter { args.isEmpty() || it.first in args }
    if (selected.isEmpty()) {
        System.err.println("no test named ${args.joinToString()}; tests: ${TESTS.joinToString { it.first }}")
        exitProcess(2)
    }
    var failed = 0
    val started = System.nanoTime()
    for ((name, test) in selected) {
        val t0 = System.nanoTime()
        val outcome = try {
            test()
            null
        } catch (e: Throwable) {
            e
        }
        val ms = (System.nanoTime() - t0) / 1_000_000
        if (outcome == null) {
            println("PASS  $name ($ms ms)")
        } else {
            failed++
            println("FAIL  $name ($ms ms): ${outcome::class.simpleName}: ${outcome.message}")
            outcome.printStackTrace(System.out)
        }
    }
    val total = (System.nanoTime() - started) / 1_000_000
    println("${selected.size - failed} passed, $failed failed (${total} ms)")
    exitProcess(if (failed == 0) 0 else 1)
}
