// Conv / pool geometry as the host writes it into linear memory (WasmBackend.writeInfo): 16
// consecutive i32 fields in the order of core's CONV2D_INFO_FIELDS. The comment on each field names
// the Conv2dInfo field it holds; test/abi.test.ts fails when the order or the count drifts from core.

/** A view of the 16-field geometry block; obtain it with changetype<Info>(pointer). */
@unmanaged
export class Info {
  batch: i32; // batch
  C: i32; // inChannels
  H: i32; // inHeight
  W: i32; // inWidth
  O: i32; // outChannels
  OH: i32; // outHeight
  OW: i32; // outWidth
  kh: i32; // kernelHeight
  kw: i32; // kernelWidth
  sh: i32; // strideHeight
  sw: i32; // strideWidth
  dh: i32; // dilationHeight
  dw: i32; // dilationWidth
  pt: i32; // padTop
  pl: i32; // padLeft
  groups: i32; // groups
}
