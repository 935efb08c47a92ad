package io.servicehealth.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HeapFitTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void eightyThousandEntitiesFitTheLaunchersHeap() {
        // 80,000 x 5 KiB = 390 MiB, under half of 1 GiB
        assertTrue(HeapFit.check(80_000, 1024 * MIB).isEmpty());
    }

    @Test
    void aCacheOverHalfTheHeapIsNamedAtStartUp() {
        // 80,000 x 5 KiB = 390 MiB, over half of 512 MiB
        String warning = HeapFit.check(80_000, 512 * MIB).orElseThrow();
        assertTrue(warning.startsWith("state.cache.entities=80000 may hold ~390 MiB"), warning);
        assertTrue(warning.contains("(512 MiB)"), warning);
    }

    @Test
    void anUnboundedHeapIsNotChecked() {
        assertTrue(HeapFit.check(Integer.MAX_VALUE, Long.MAX_VALUE).isEmpty());
    }
}
