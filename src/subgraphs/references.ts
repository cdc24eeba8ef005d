import type { Region } from '../regions/region.entity';

/** A child as another subgraph knows it: by its federation key only. */
export interface ChildRef {
  id: string;
}

/** A registry guardian as another subgraph knows it: by its federation key only. */
export interface GuardianRef {
  id: string;
}

/** A region as fields return it: the code, and the rest when it has been loaded. */
export type RegionRef = { code: string } & Partial<Region>;
