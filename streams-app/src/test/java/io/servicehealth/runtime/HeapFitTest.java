package io.servicehealth.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HeapFitTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void eightyThousandEntitiesFitTheLaunchersHeap() {
        // 80,000 x 5 KiB = 390 MiB, under half of 1 GiB
        assertTrue(HeapFit.check(80_000, 0, 1024 * MIB).isEmpty());
        // the defaults: 8,000 x 5 KiB + 128,000 x 1 KiB = 164 MiB
        assertTrue(HeapFit.check(8_000, 128_000, 1024 * MIB).isEmpty());
    }

    @Test
    void aCacheOverHalfTheHeapIsNamedAtStartUp() {
        // 80,000 x 5 KiB = 390 MiB, over half of 512 MiB
        String warning = HeapFit.check(80_000, 0, 512 * MIB).orElseThrow();
        assertTrue(warning.startsWith("state.cache.entities=80000 and state.cache.alert.entities=0 may hold ~390 MiB"), warning);
        assertTrue(warning.contains("(512 MiB)"), warning);
        assertTrue(warning.endsWith("lower state.cache.entities"), warning);
    }

    @Test
    void aLargeAlertStateCacheIsNamedWhenItTakesMostOfTheHeap() {
        // 8,000 x 5 KiB + 400,000 x 1 KiB = 429 MiB, over half of 512 MiB, most of it alert states
        String warning = HeapFit.check(8_000, 400_000, 512 * MIB).orElseThrow();
        assertTrue(warning.contains("~429 MiB"), warning);
        assertTrue(warning.endsWith("lower state.cache.alert.entities"), warning);
    }

    @Test
    void anUnboundedHeapIsNotChecked() {
        assertTrue(HeapFit.check(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE).isEmpty());
    }
}
