package org.jxenbus.itests.osgi.it;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;

/**
 * This JVM's retained memory at one moment, after full collections: heap in use, metaspace in use and the
 * classes loaded. Bundle revisions that stay reachable after an update and refresh (a class loader leak)
 * show as classes and metaspace that grow with every update.
 */
record MemoryCensus(long heapUsed, long metaspaceUsed, int loadedClasses) {

    static MemoryCensus take() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long metaspace = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            }
        }
        return new MemoryCensus(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), metaspace,
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }

    @Override
    public String toString() {
        return String.format("heap %.1f MiB, metaspace %.1f MiB, %d classes loaded", heapUsed / 1048576.0,
                metaspaceUsed / 1048576.0, loadedClasses);
    }
}
