export {
  type FakeMessagesServer,
  type FakeMessagesServerOptions,
  type RecordedBody,
  type RecordedRequest,
  startFakeMessagesServer,
} from './fake-messages-server.js';
export {
  documentText,
  type FakeReply,
  type FakeUsage,
  fakeReply,
  keywordAnswer,
  offeredTypes,
} from './fake-replies.js';
