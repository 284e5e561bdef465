package dev.ddbreplicator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void readsCurrentAndPeakResidentSizeFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  312340 kB\nVmRSS:\t  298000 kB\nThreads:\t52\n";

        ProcessMemory memory = ProcessMemory.parse(status);

        assertThat(memory.peakRssKb()).isEqualTo(312340);
        assertThat(memory.rssKb()).isEqualTo(298000);
        assertThat(memory.peakRssMb()).isEqualTo(312340 / 1024.0);
    }

    @Test
    void thisProcessHasAPeakAtLeastItsCurrentSize() {
        ProcessMemory self = ProcessMemory.of(ProcessHandle.current().pid());

        assertThat(self.rssKb()).isPositive();
        assertThat(self.peakRssKb()).isGreaterThanOrEqualTo(self.rssKb());
    }
}
