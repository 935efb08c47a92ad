package io.servicehealth.topology;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The low watermark over three source partitions A, B and C (progress in minutes). */
class SourceProgressTest {
    private static final int A = 0, B = 1, C = 2;
    private final SourceProgress progress = new SourceProgress(3);

    @Test
    void shouldBeTheSlowestActivePartitionOnceAllHaveReported() {
        assertFalse(progress.update(A, 10));
        assertFalse(progress.update(B, 20));
        assertEquals(Long.MIN_VALUE, progress.low(), "C has not reported");
        assertTrue(progress.update(C, 15));
        assertEquals(10, progress.low());
        assertFalse(progress.update(B, 30), "B was not the slowest");
        assertTrue(progress.update(A, 40));
        assertEquals(15, progress.low(), "now C is the slowest");
    }

    @Test
    void shouldLeaveIdlePartitionsOutAndTakeTheHighestWhenAllAreIdle() {
        progress.update(A, 10);
        progress.update(B, 20);
        assertTrue(progress.markIdle(C, Long.MIN_VALUE), "C never delivered, but an idle partition counts as reported");
        assertEquals(10, progress.low(), "A holds the minimum");
        assertTrue(progress.markIdle(A, 10));
        assertEquals(20, progress.low(), "B is the only active partition");
        assertFalse(progress.markIdle(B, 20), "all idle: the highest progress, 20, which it already is");
        assertEquals(20, progress.low());
    }

    @Test
    void shouldCountAWokenPartitionAgainWithoutMovingBack() {
        progress.update(A, 10);
        progress.update(B, 20);
        progress.markIdle(C, 5);
        progress.markIdle(A, 10);
        assertEquals(20, progress.low());

        assertFalse(progress.update(C, 12), "C woke at 12, behind the low watermark: it does not move back");
        assertEquals(20, progress.low());
        progress.update(B, 40);
        assertEquals(20, progress.low(), "C (12) holds it now");
        assertTrue(progress.update(C, 35));
        assertEquals(35, progress.low());
    }
}
