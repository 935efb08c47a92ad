package io.servicehealth.alert;

import io.servicehealth.schema.WindowSize;

/** Finds an entity's window for a rule: closed in this step, or open as settled by a finer size. */
@FunctionalInterface
public interface WindowLookup {
    /**
     * @param size      the window size wanted
     * @param time      a time inside the window
     * @param settledBy for an open window, count only its closed windows of this finer size
     * @return the window; an empty one when the entity had no event in it
     */
    WindowResult find(WindowSize size, long time, WindowSize settledBy);
}
