/** The scenario side of the maintenance protocol (docs/protocol.md), with no runtime dependencies. */
export * from './protocol';
export { type Clock, systemClock } from './clock';
export {
  MaintenanceSwitch,
  type ChangeCause,
  type MaintenanceHooks,
  type MaintenanceSwitchOptions,
  type StateCall,
  type StateChange,
  type StateReply,
  type StateReport,
} from './maintenance-switch';
export { createNodeHandler, readBody, sendReply, serveStateCall, type NodeHandler, type StateRouteOptions } from './node-handler';
export { expressMiddleware, type ExpressLikeMiddleware, type ExpressLikeRequest } from './express';
export { RegistrationClient, type RegistrationOptions, type RegistrationOutcome } from './registration-client';
