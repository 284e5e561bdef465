package dev.ddbreplicator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        assertThat(Stats.median(List.of(9.0, 1.0, 5.0))).isEqualTo(5.0);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(4, 1, 3, 2))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void percentilesAreNearestRank() {
        List<Integer> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add(i);
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99);
        assertThat(Stats.percentile(hundred, 100)).isEqualTo(100);
        // Of ten values the 99th percentile is the largest: a small sample never hides its worst.
        assertThat(Stats.percentile(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 1000), 99)).isEqualTo(1000);
        assertThat(Stats.percentile(List.of(7), 1)).isEqualTo(7);
        assertThatThrownBy(() -> Stats.percentile(hundred, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWindowRateLeavesOutTheStartAndTheTail() {
        // 1000 units: nothing for a second (start-up), then 100 per 0.1 s, then a slow last unit.
        List<long[]> samples = new ArrayList<>();
        samples.add(new long[] {0, 0});
        for (int i = 1; i <= 10; i++) {
            samples.add(new long[] {1_000_000_000L + i * 100_000_000L, i * 100 - (i == 10 ? 1 : 0)});
        }
        samples.add(new long[] {5_000_000_000L, 1000});

        // From 100 (at 1.1 s) to 900 (at 1.9 s): 800 units in 0.8 s.
        assertThat(Stats.windowRate(samples, 1000, 0.1, 0.9)).isEqualTo(1000.0);
        assertThat(Stats.windowRate(samples.subList(0, 3), 1000, 0.1, 0.9)).as("window not covered").isNaN();
    }
}
